using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Kubernetes.Tests.Integration;

/// <summary>Job specs for the pod tests: a small GPT on H100s with a fixed layout, run by a user's container.</summary>
internal static class K8sJobs
{
    public const string Image = "registry.example.com/team/trainer:1.0";

    public static TrainingJobSpec Container(string name, int tensor, int pipeline, int data, int maxAttempts = 2, string image = Image) => new(
        new JobMetadata(name, "default", 0),
        new ModelSpec("gpt", 4, 64, 4, 16, 64),
        new DataSpec("builtin:synthetic"),
        new TrainingSpec(4 * data, 10, new OptimizerSpec("adamw", 3e-3)),
        new ParallelismSpec(false, tensor, pipeline, data, MicroBatch: 1),
        new ResourcesSpec(tensor * pipeline * data, "h100-80gb"),
        new CheckpointSpec(),
        new RuntimeSpec(image, ["python", "train.py"], ["--epochs", "1"], new Dictionary<string, string> { ["NCCL_DEBUG"] = "WARN" }),
        new RestartPolicySpec(maxAttempts, 0.2, 1));

    public static async Task<string> SubmitAsync(IGrainFactory grains, TrainingJobSpec spec)
    {
        var id = $"{spec.Metadata.Name}-{Guid.NewGuid().ToString("N")[..5]}";
        await grains.GetGrain<IJobGrain>(id).SubmitAsync(spec);
        return id;
    }
}
