using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client.Tests.Specs;

public sealed class RuntimeSpecTests
{
    private const string Job = """
        apiVersion: orchestrator/v1
        kind: TrainingJob
        metadata: { name: own-program }
        spec:
          model: { layers: 2, hidden: 64, heads: 4, sequenceLength: 32, vocabulary: 256 }
          training: { globalBatch: 8, steps: 10 }
          resources: { gpus: 2, gpuType: cpu }
        """;

    private static TrainingJobSpec Parse(string extra) => JobSpecLoader.Parse(Job + "\n" + extra);

    private static SpecError SingleError(string extra) =>
        Assert.Single(Assert.Throws<JobSpecException>(() => Parse(extra)).Errors);

    [Fact]
    public void Reads_a_user_program_with_args_and_env()
    {
        var spec = Parse("""
              runtime:
                command: [python3, train.py]
                args: ["--lr", "0.1"]
                env: { NCCL_DEBUG: INFO, DATA_DIR: /data }
            """);
        Assert.False(spec.Runtime.IsBuiltIn);
        Assert.Null(spec.Runtime.Image);
        Assert.Equal(["python3", "train.py"], spec.Runtime.Command!);
        Assert.Equal(["--lr", "0.1"], spec.Runtime.Args!);
        Assert.Equal(new Dictionary<string, string> { ["NCCL_DEBUG"] = "INFO", ["DATA_DIR"] = "/data" }, spec.Runtime.Env);
    }

    [Fact]
    public void An_image_alone_uses_its_entrypoint()
    {
        var spec = Parse("  runtime: { image: nvcr.io/nvidia/pytorch:24.05-py3, args: [--steps, '10'] }");
        Assert.Equal("nvcr.io/nvidia/pytorch:24.05-py3", spec.Runtime.Image);
        Assert.Null(spec.Runtime.Command);
        Assert.False(spec.Runtime.IsBuiltIn);
    }

    [Fact]
    public void No_runtime_or_builtin_is_the_built_in_worker()
    {
        Assert.True(JobSpecLoader.Parse(Job).Runtime.IsBuiltIn);
        Assert.True(Parse("  runtime: builtin").Runtime.IsBuiltIn);
    }

    [Theory]
    [InlineData("  runtime: { args: [x] }", "spec.runtime.command", "is required")]
    [InlineData("  runtime: { command: python3 }", "spec.runtime.command", "list of strings")]
    [InlineData("  runtime: { command: [] }", "spec.runtime.command", "at least one")]
    [InlineData("  runtime: { command: [python3, ''] }", "spec.runtime.command[1]", "must not be empty")]
    [InlineData("  runtime: { command: [a], env: [A, B] }", "spec.runtime.env", "mapping of names")]
    [InlineData("  runtime: { command: [a], env: { 1X: y } }", "spec.runtime.env.1X", "variable name")]
    [InlineData("  runtime: { command: [a], env: { MASTER_PORT: '1' } }", "spec.runtime.env.MASTER_PORT", "set by the control plane")]
    [InlineData("  runtime: { command: [a], env: { ORCH_STEPS: '1' } }", "spec.runtime.env.ORCH_STEPS", "set by the control plane")]
    [InlineData("  runtime: { command: [a], workdir: /tmp }", "spec.runtime.workdir", "unknown field")]
    [InlineData("  runtime: { image: 'my image' }", "spec.runtime.image", "without spaces")]
    [InlineData("  runtime: docker", "spec.runtime", "'builtin' or a mapping")]
    public void A_runtime_that_cannot_run_is_refused_naming_the_field(string runtime, string path, string message)
    {
        var error = SingleError(runtime);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
        Assert.Equal(8, error.Line);
    }

    [Fact]
    public void On_exit_codes_maps_codes_to_actions()
    {
        var spec = Parse("  restartPolicy: { maxAttempts: 4, onExitCodes: { 42: fail, 43: ignore, 44: retry } }");
        Assert.Equal(new Dictionary<int, ExitCodeAction> { [42] = ExitCodeAction.Fail, [43] = ExitCodeAction.Ignore, [44] = ExitCodeAction.Retry }, spec.RestartPolicy.OnExitCodes);
        Assert.Equal(ExitCodeAction.Fail, spec.RestartPolicy.ActionFor(42));
        Assert.Equal(ExitCodeAction.Retry, spec.RestartPolicy.ActionFor(1));
    }

    [Theory]
    [InlineData("{ 42: stop }", "spec.restartPolicy.onExitCodes.42", "allowed: retry, fail, ignore")]
    [InlineData("{ x: fail }", "spec.restartPolicy.onExitCodes.x", "exit code")]
    [InlineData("{ 0: fail }", "spec.restartPolicy.onExitCodes.0", "1 to 255")]
    [InlineData("{ 256: fail }", "spec.restartPolicy.onExitCodes.256", "1 to 255")]
    [InlineData("[42]", "spec.restartPolicy.onExitCodes", "mapping")]
    public void Bad_exit_code_rules_are_refused_naming_the_field(string rules, string path, string message)
    {
        var error = SingleError($"  restartPolicy: {{ onExitCodes: {rules} }}");
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void The_validator_refuses_the_same_things_when_a_client_skips_the_reader()
    {
        var spec = JobSpecLoader.Parse(Job) with
        {
            Runtime = new RuntimeSpec(Command: ["a"], Env: new Dictionary<string, string> { ["PET_NNODES"] = "3" }),
            RestartPolicy = new RestartPolicySpec(OnExitCodes: new Dictionary<int, ExitCodeAction> { [-1] = (ExitCodeAction)9 }),
        };
        var paths = TrainingJobSpecValidator.Validate(spec).Select(e => e.Path).ToList();
        Assert.Equal(["spec.runtime.env.PET_NNODES", "spec.restartPolicy.onExitCodes.-1", "spec.restartPolicy.onExitCodes.-1"], paths);
    }
}
