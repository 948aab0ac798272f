using System.Reflection;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>Job specs and paths the integration tests share.</summary>
internal static class TestJobs
{
    public static string WorkerPath =>
        typeof(TestJobs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "OrchestratorWorkerPath").Value!;

    /// <summary>A GPT small enough to train a step in milliseconds on one CPU device.</summary>
    public static TrainingJobSpec Tiny(string name, int steps = 20, int gpus = 1, int priority = 0, string? gpuType = "cpu", int maxAttempts = 3) => new(
        new JobMetadata(name, "default", priority),
        new ModelSpec("gpt", 2, 32, 4, 16, 64),
        new DataSpec("builtin:synthetic"),
        new TrainingSpec(4 * gpus, steps, new OptimizerSpec("adamw", 3e-3)),
        new ParallelismSpec(false, 1, 1, gpus, MicroBatch: 4),
        new ResourcesSpec(gpus, gpuType),
        new CheckpointSpec(),
        RuntimeSpec.BuiltIn,
        new RestartPolicySpec(maxAttempts, 0.2, 1));

    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return Path.Combine(dir.FullName, relative);
        }

        throw new InvalidOperationException("repository root not found");
    }

    public static string TemporaryDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "orchestrator-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
