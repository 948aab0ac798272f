using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Tests;

/// <summary>
/// In-context example sampling against HELM's sample_examples run under CPython 3 on the same train set
/// (labels: yes x3, no x2, maybe x2; two unlabelled).
/// </summary>
public sealed class SamplerTests
{
    private static readonly IReadOnlyList<Instance> Train =
    [
        Fixtures.Labelled("t1", "yes"), Fixtures.Labelled("t2", "no"), Fixtures.Labelled("t3", "yes"),
        Fixtures.Labelled("t4", "maybe"), Fixtures.Labelled("t5", "no"), Fixtures.Labelled("t6", "yes"),
        Fixtures.Labelled("t7", "maybe"), Fixtures.Labelled("u1", null), Fixtures.Labelled("u2", null),
    ];

    [Theory]
    [InlineData(0, 5, new[] { "t3", "t4", "t5", "t6", "t7" })] // HELM, seed 0, k 5
    [InlineData(1, 5, new[] { "t6", "t2", "t7", "t1", "t5" })] // HELM, seed 1, k 5
    [InlineData(0, 3, new[] { "t3", "t4", "t5" })] // HELM, seed 0, k 3
    public void PicksTheSameExamplesAsHelm(int seed, int k, string[] expected) =>
        Assert.Equal(expected, InContextExampleSampler.Sample(Train, k, seed, sampleTrain: true).Select(i => i.Id));

    [Fact]
    public void FillsFromUnlabelledInstancesOnceLabelsRunOut()
    {
        // HELM would cycle forever over the emptied labels here; we stop and draw the rest from the unlabelled
        var examples = InContextExampleSampler.Sample(Train, 9, 0, sampleTrain: true).Select(i => i.Id).ToList();
        Assert.Equal(9, examples.Count);
        Assert.Equal(["u1", "u2"], examples.Skip(7).Order());
    }

    [Fact]
    public void WithoutSamplingTakesTheTrialsSlice() =>
        Assert.Equal(["t4", "t5", "t6"], InContextExampleSampler.Sample(Train, 3, 1, sampleTrain: false).Select(i => i.Id));
}
