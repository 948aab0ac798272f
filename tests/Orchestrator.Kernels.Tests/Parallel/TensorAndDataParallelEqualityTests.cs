using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Parallel;
using Orchestrator.Kernels.Training;

namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>
/// Issue 4's equality tests for the layouts that need no pipeline schedule: the loss and every gradient, gathered to
/// full shapes, equal the single-device reference within 1e-5 relative, and after three AdamW steps (with global-norm
/// clipping) the weights match within 1e-4.
/// </summary>
public sealed class TensorAndDataParallelEqualityTests(ReferenceFixture fixture) : IClassFixture<ReferenceFixture>
{

    public static TheoryData<int, int, int, bool, RecomputationMode, bool> Layouts => new()
    {
        // tensor, pipeline, data, sequence parallel, recomputation, ZeRO-1
        { 1, 1, 1, false, RecomputationMode.None, false },
        { 2, 1, 1, false, RecomputationMode.None, false },
        { 1, 1, 2, false, RecomputationMode.None, false },
        { 1, 1, 2, false, RecomputationMode.None, true },
        { 2, 1, 1, true, RecomputationMode.None, false },
        { 2, 2, 1, true, RecomputationMode.None, false },
        { 2, 1, 2, true, RecomputationMode.Selective, true },
        { 2, 1, 1, false, RecomputationMode.Full, false },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Loss_gradients_and_weights_after_three_steps_equal_the_single_device_reference(
        int tensor, int pipeline, int data, bool sequenceParallel, RecomputationMode recomputation, bool zero)
    {
        var reference = fixture.Run;
        var grid = new ParallelGrid(tensor, pipeline, data);
        var options = new GptPartitionOptions(SequenceParallel: sequenceParallel, Recomputation: recomputation);
        var dataParallel = new DataParallelOptions(BucketBytes: 64 * 1024, ShardOptimizerState: zero, MaxGradientNorm: ReferenceFixture.MaxNorm);

        var ranks = PartitionedRun.Train(grid, options, dataParallel, fixture.Tokens, fixture.Targets, ReferenceFixture.Steps, ReferenceFixture.LearningRate);

        EqualityAssert.MatchesReference(ranks, reference, expectedLossRanks: tensor * data, compareGradients: !zero);
    }
}
