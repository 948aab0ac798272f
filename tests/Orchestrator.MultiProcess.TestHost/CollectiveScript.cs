using Orchestrator.Kernels.Communication;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.MultiProcess.TestHost;

/// <summary>
/// A random but reproducible program of collectives over a grid's world, data and tensor groups: sizes (including 0
/// and sizes not divisible by the group), element types and roots drawn from the seed, every rank's inputs drawn from
/// (seed, step, rank) as small integers so that sums are exact in every type and order. The same program run by an
/// <see cref="InProcessWorld"/> is the reference.
/// </summary>
internal static class CollectiveScript
{
    public const int Steps = 24;

    private static readonly ScalarType[] Types = [ScalarType.Float32, ScalarType.Float64, ScalarType.Int32, ScalarType.Int64];

    /// <summary>Every local rank's results, one line per (rank, step, output): "rank step index dtype shape values".</summary>
    public static IReadOnlyList<string> Run(IRankWorld world, int seed)
    {
        var lines = world.Run(groups =>
        {
            var output = new List<string>();
            for (var step = 0; step < Steps; step++)
            {
                var plan = new Random(Mix(seed, step, -1));
                var group = (plan.Next(3)) switch { 0 => groups.World, 1 => groups.Data, _ => groups.Tensor };
                var type = Types[plan.Next(Types.Length)];
                var length = plan.Next(4) == 0 ? 0 : plan.Next(1, 40);
                var results = Execute(plan.Next(7), plan, group, type, length, new Random(Mix(seed, step, groups.GlobalRank)));
                output.AddRange(results.Select((t, i) => Line(groups.GlobalRank, step, i, t)));
                results.ForEach(t => t.Dispose());
            }

            return output;
        });
        return world.LocalRanks.SelectMany(r => lines[r]).ToList();
    }

    private static List<Tensor> Execute(int operation, Random plan, ICommunicator group, ScalarType type, int length, Random data)
    {
        using var input = Values(data, [length, 3], type);
        switch (operation)
        {
            case 0:
                var reduce = new[] { ReduceOperation.Sum, ReduceOperation.Max, ReduceOperation.Average }[plan.Next(3)];
                // Averages of integers truncate differently per order; average floating types only.
                if (reduce == ReduceOperation.Average && type is ScalarType.Int32 or ScalarType.Int64) reduce = ReduceOperation.Sum;
                var reduced = input.clone();
                group.AllReduce(reduced, reduce);
                return [reduced];
            case 1:
                return [group.AllGather(input, 0)];
            case 2:
                using (var divisible = Values(data, [group.Size * (length % 5), 2], type))
                {
                    return [group.ReduceScatter(divisible, 0)];
                }

            case 3:
                var broadcast = input.clone();
                group.Broadcast(broadcast, plan.Next(group.Size));
                return [broadcast];
            case 4:
                // Uneven splits: member j gets a different number of rows from each member.
                var sends = Enumerable.Range(0, group.Size).Select(j => Values(data, [(length + j + group.Rank) % 7, 3], type)).ToList();
                var received = group.AllToAll(sends).ToList();
                sends.ForEach(t => t.Dispose());
                return received;
            case 5:
                // A ring: everyone sends to the next member and receives from the previous one, twice, with two tags.
                var next = (group.Rank + 1) % group.Size;
                var previous = (group.Rank + group.Size - 1) % group.Size;
                group.Send(input, next, tag: 1);
                group.Send(input * 2, next, tag: 2);
                return [group.Receive(previous, tag: 2), group.Receive(previous, tag: 1)];
            default:
                group.Barrier();
                return [];
        }
    }

    // Not HashCode.Combine: it is seeded per process, and every process must draw the same program.
    private static int Mix(int seed, int step, int rank) => (seed * 1_000_003) + (step * 1_009) + rank;

    private static Tensor Values(Random data, long[] shape, ScalarType type)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var values = Enumerable.Range(0, (int)count).Select(_ => (float)data.Next(-8, 9)).ToArray();
        using var floats = tensor(values, shape);
        return floats.to_type(type);
    }

    private static string Line(int rank, int step, int index, Tensor result)
    {
        using var doubles = result.to_type(ScalarType.Float64).contiguous();
        var values = doubles.numel() == 0 ? [] : doubles.data<double>().ToArray();
        return $"{rank} {step} {index} {result.dtype} [{string.Join(",", result.shape)}] {string.Join(",", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}";
    }
}
