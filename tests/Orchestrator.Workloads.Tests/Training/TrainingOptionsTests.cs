using Orchestrator.Workloads.Training;

namespace Orchestrator.Workloads.Tests.Training;

public sealed class TrainingOptionsTests
{
    public static TheoryData<TrainingOptions, string, string> Invalid() => new()
    {
        { new TrainingOptions(Heads: 4, TensorParallelSize: 3), "Heads", "divisible by TensorParallelSize" },
        { new TrainingOptions(Layers: 4, PipelineParallelSize: 2, VirtualStages: 4, GlobalBatch: 8, MicroBatch: 1, Schedule: "interleaved"), "Layers", "pipeline stages × virtual stages" },
        { new TrainingOptions(GlobalBatch: 12, MicroBatch: 2, DataParallelSize: 4), "GlobalBatch", "divisible by MicroBatch × DataParallelSize" },
        { new TrainingOptions(PipelineParallelSize: 4, VirtualStages: 2, Layers: 8, GlobalBatch: 12, MicroBatch: 2, Schedule: "interleaved"), "MicroBatches", "divisible by pipeline stages" },
        { new TrainingOptions(Schedule: "zigzag"), "Schedule", "allowed: gpipe" },
        { new TrainingOptions(Recompute: "some"), "Recompute", "allowed: none, selective, full" },
        { new TrainingOptions(LearningRate: 0), "LearningRate", "positive" },
        { new TrainingOptions(Steps: 10, StartStep: 11), "StartStep", "between 0 and Steps" },
        { new TrainingOptions(Hidden: 66, Heads: 4), "Hidden", "divisible by Heads" },
        { new TrainingOptions(PeakFlopsPerDevice: 0), "PeakFlopsPerDevice", "positive finite number of FLOP/s, or null" },
        { new TrainingOptions(PeakFlopsPerDevice: double.PositiveInfinity), "PeakFlopsPerDevice", "positive finite" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Refuses_sizes_that_do_not_fit_naming_the_field(TrainingOptions options, string field, string message)
    {
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(field, error.ParamName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_a_valid_small_gpt_run()
    {
        var options = new TrainingOptions();
        options.Validate();
        Assert.Equal(4, options.MicroBatches);
        Assert.Equal(1, options.WorldSize);
    }
}
