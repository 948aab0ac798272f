using Orchestrator.Kernels.Moe;
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
        { new TrainingOptions(ExpertParallelSize: 0, Moe: Moe), "ExpertParallelSize", "at least 1" },
        { new TrainingOptions(ExpertParallelSize: 2, DataParallelSize: 2), "ExpertParallelSize", "must be 1 for a dense model" },
        { new TrainingOptions(ExpertParallelSize: 2, DataParallelSize: 1, Moe: Moe), "ExpertParallelSize", "must divide DataParallelSize (1)" },
        { new TrainingOptions(ExpertParallelSize: 4, DataParallelSize: 4, Moe: Moe with { ExpertCount = 6 }), "ExpertCount", "is 6 but must be divisible by ExpertParallelSize (4)" },
        { new TrainingOptions(Moe: Moe with { TopK = 3 }), "TopK", "must be 1 or 2, got 3" },
        { new TrainingOptions(Moe: Moe with { ExpertCount = 1 }), "TopK", "must not exceed ExpertCount (1)" },
        { new TrainingOptions(Layers: 4, Moe: Moe with { Every = 5 }), "Every", "between 1 and the layer count (4)" },
        { new TrainingOptions(Hidden: 40, Moe: Moe with { BlockSize = 128 }), "FfnHiddenSize", "multiple of BlockSize (128)" },
    };

    private static GptMoeSettings Moe => new(ExpertCount: 4, TopK: 2, Every: 2, BlockSize: 16);

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

    [Fact]
    public void An_moe_layout_with_experts_split_over_the_data_ranks_is_valid()
    {
        var options = new TrainingOptions(DataParallelSize: 2, ExpertParallelSize: 2, Moe: Moe);
        options.Validate();
        Assert.Equal(2, options.WorldSize);
        Assert.Equal(2, options.Grid().ExpertParallelSize);
        Assert.Equal(Moe, options.ModelConfig().Moe);
    }
}
