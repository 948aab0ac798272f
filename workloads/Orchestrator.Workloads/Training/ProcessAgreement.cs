using static TorchSharp.torch;

namespace Orchestrator.Workloads.Training;

/// <summary>
/// Decisions the processes of a split run must take together: whether to stop, save or go on is a local reading
/// (a cancellation, a stop request, a clock) that can differ between processes, yet saving is itself a collective
/// and a process that leaves early strands the others in their next collective. Each decision is one small
/// all-reduce over the world, made at the same point of the loop by every rank.
/// </summary>
internal static class ProcessAgreement
{
    /// <summary>Sums <paramref name="values"/> over every world rank (each local rank contributes them once).</summary>
    public static double[] Sum(ITrainingRanks ranks, double[] values)
    {
        var result = new double[values.Length];
        var first = ranks.LocalRanks[0];
        ranks.Run((rank, _) =>
        {
            using var total = tensor(values);
            ranks.GroupsOf(rank).World.AllReduce(total);
            if (rank == first) total.data<double>().CopyTo(result, 0);
        });
        return result;
    }

    /// <summary>For each flag, whether any process raised it.</summary>
    public static bool[] Any(ITrainingRanks ranks, params bool[] flags) =>
        Sum(ranks, flags.Select(flag => flag ? 1.0 : 0.0).ToArray()).Select(sum => sum > 0).ToArray();

    /// <summary>
    /// Throws unless every process holds the same <paramref name="value"/>: the sum of squares over n ranks equals
    /// the squared sum over n only when all values are equal (exact in doubles while n times the value stays below 2^26).
    /// </summary>
    /// <exception cref="InvalidOperationException">The processes disagree; <paramref name="what"/> names the value.</exception>
    public static void EnsureSame(ITrainingRanks ranks, long value, string what)
    {
        var sums = Sum(ranks, [value, (double)value * value, 1]);
        if (sums[0] * sums[0] != sums[1] * sums[2])
        {
            throw new InvalidOperationException($"the processes of this run disagree on {what} (this one has {value}); the attempt cannot go on");
        }
    }
}
