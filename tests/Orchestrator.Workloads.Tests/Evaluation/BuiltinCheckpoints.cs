using Orchestrator.Checkpoints.Interval;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Kernels.Model;
using Orchestrator.Workloads.Checkpointing;
using Orchestrator.Workloads.Evaluation;
using Orchestrator.Workloads.Tests.Checkpointing;
using Orchestrator.Workloads.Tests.Training;
using Orchestrator.Workloads.Training;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Tests.Evaluation;

/// <summary>
/// Made once for the built-in client's tests by the real training loop: a tiny byte-vocabulary GPT trained 2 steps and
/// checkpointed unpartitioned, and the same run checkpointed under a tensor×pipeline-parallel layout (t2·p2).
/// </summary>
public sealed class BuiltinCheckpoints : IAsyncLifetime
{
    public const string Job = "gpt-eval";
    public const int Steps = 2;

    public static readonly TrainingOptions Options = new(
        Layers: 2, Hidden: 32, Heads: 4, SequenceLength: 24, Vocabulary: 256, GlobalBatch: 4, MicroBatch: 2, Steps: Steps, LearningRate: 1e-2);

    public static readonly ModelSpec Model = new("gpt", Options.Layers, Options.Hidden, Options.Heads, Options.SequenceLength, Options.Vocabulary);

    internal TemporaryCheckpointStore Unpartitioned { get; } = new();

    internal TemporaryCheckpointStore Partitioned { get; } = new();

    public async Task InitializeAsync()
    {
        await Train(Options, Unpartitioned);
        await Train(Options with { TensorParallelSize = 2, PipelineParallelSize = 2 }, Partitioned);
    }

    public Task DisposeAsync()
    {
        Unpartitioned.Dispose();
        Partitioned.Dispose();
        return Task.CompletedTask;
    }

    internal static BuiltinModelSource Source(TemporaryCheckpointStore store) => new(store.Root, Job, Steps, Model);

    /// <summary>A GPT holding the checkpoint's weights, read by the store's own API (independently of the client).</summary>
    internal static async Task<Gpt> DirectModelAsync(TemporaryCheckpointStore store)
    {
        var tensors = await store.ReadAllAsync(new Orchestrator.Checkpoints.Manifest.CheckpointId(Job, Steps, 1));
        var config = new GptConfig(Options.Layers, Options.Hidden, Options.Heads, Options.Vocabulary, Options.SequenceLength);
        var model = new Gpt(config, seed: 99);
        using var inference = no_grad();
        foreach (var (name, shape) in GptParameterNames.All(config))
        {
            using var values = tensor(tensors[CheckpointTensorNames.Model(name)], shape);
            model.Parameter(name).copy_(values);
        }

        return model;
    }

    private static Task Train(TrainingOptions options, TemporaryCheckpointStore store) =>
        TrainingLoop.RunAsync(options, new RecordingObserver(), CancellationToken.None,
            new TrainingCheckpointing(store.Store, Job, 1, CheckpointInterval.EverySteps(1000)));
}
