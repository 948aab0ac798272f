namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>The comparisons of issue 4's equality tests, shared by the layouts with and without a pipeline schedule.</summary>
internal static class EqualityAssert
{
    /// <param name="compareGradients">
    /// False under ZeRO-1: the reduced gradient exists only as each rank's slice (reduce-scatter), so the parameters'
    /// own gradients hold the unreduced contributions; the global norm and the weights still check the reduction.
    /// </param>
    public static void MatchesReference(PartitionedRun[] ranks, ReferenceRun reference, int expectedLossRanks, bool compareGradients = true)
    {
        // The data-parallel mean of the last stage's losses is the reference's loss over the whole batch.
        var losses = ranks.Where(r => r.Loss is not null).Select(r => (double)r.Loss!.Value).ToList();
        Assert.Equal(expectedLossRanks, losses.Count);
        Assert.InRange(Math.Abs((losses.Average() / reference.Loss) - 1), 0, 1e-5);

        // Clipping saw the same global norm on every rank as on one device (and it is large enough to clip).
        Assert.True(reference.GradientNorm > ReferenceFixture.MaxNorm);
        Assert.All(ranks, r => Assert.InRange(Math.Abs((r.GradientNorm / reference.GradientNorm) - 1), 0, 1e-5));

        var seen = new HashSet<string>();
        foreach (var rank in ranks)
        {
            foreach (var (name, gradient) in rank.Gradients)
    {
                var canonical = name.Replace("tied:", "", StringComparison.Ordinal);
                seen.Add(canonical);
                Assert.True(!compareGradients || SmallGpt.RelativeError(gradient, reference.Gradients[canonical]) < 1e-5, $"gradient of {name}");
                Assert.True(SmallGpt.RelativeError(rank.Weights[name], reference.Weights[canonical]) < 1e-4, $"weight {name}");
            }
        }

        Assert.Equal(reference.Gradients.Keys.Order(), seen.Order());
    }
}
