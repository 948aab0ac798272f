using Orchestrator.Kernels.Pipeline;

namespace Orchestrator.Kernels.Tests.Pipeline;

public sealed class PipelineScheduleValidationTests
{
    [Theory]
    [InlineData(PipelineScheduleKind.Interleaved, 4, 6, 2, 1, "MicroBatches", "divisible by pipeline stages")]
    [InlineData(PipelineScheduleKind.Interleaved, 4, 8, 1, 1, "VirtualStages", "at least 2 virtual stages")]
    [InlineData(PipelineScheduleKind.OneForwardOneBackward, 4, 8, 2, 1, "VirtualStages", "need the interleaved schedule")]
    [InlineData(PipelineScheduleKind.GPipe, 0, 8, 1, 1, "Stages", "at least 1")]
    [InlineData(PipelineScheduleKind.GPipe, 2, 0, 1, 1, "MicroBatches", "at least 1")]
    [InlineData(PipelineScheduleKind.GPipe, 2, 4, 1, 3, "Batches", "exactly 1 batch")]
    [InlineData(PipelineScheduleKind.PipeDream2BW, 4, 3, 1, 2, "MicroBatches", "two weight versions")]
    public void Refuses_sizes_it_cannot_run_naming_the_field(PipelineScheduleKind kind, int stages, int microBatches, int virtualStages, int batches, string field, string message)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            PipelineScheduleGenerator.Generate(new PipelineScheduleOptions(kind, stages, microBatches, virtualStages, batches)));
        Assert.Equal(field, error.ParamName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
