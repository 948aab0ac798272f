using static TorchSharp.torch;

namespace Orchestrator.Workloads.Training;

/// <summary>Builds the ranks for a layout.</summary>
internal static class TrainingRanks
{
    public static ITrainingRanks Create(TrainingOptions options, Device device) =>
        options.WorldSize == 1
            ? new SingleDeviceRanks(options, device)
            : throw new NotSupportedException($"layouts with more than one rank are not wired yet (t{options.TensorParallelSize} p{options.PipelineParallelSize} d{options.DataParallelSize})");
}
