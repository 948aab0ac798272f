using System.Diagnostics;
using System.Globalization;
using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Communication.Gloo;
using static TorchSharp.torch;

namespace Orchestrator.MultiProcess.TestHost;

/// <summary>
/// The communication benchmark's child: one rank per process, float32 sum all-reduces of one size through the
/// communicator, and (with <c>native</c>) the same Gloo call issued straight from native code on the same context,
/// in alternating blocks so that machine noise hits both alike. Writes "managed SECONDS" / "native SECONDS" per op.
/// </summary>
internal static class CommunicationProbe
{
    public static IReadOnlyList<string> Run(GlooRendezvous rendezvous, int process, int processes, long bytes, int iterations, bool native)
    {
        var grid = new ParallelGrid(DataParallelSize: processes);
        using var world = new NetworkWorld(grid, Enumerable.Range(0, processes).ToArray(), process, rendezvous);
        var elements = bytes / sizeof(float);
        var lines = new List<string>();
        world.Run(groups =>
        {
            using var buffer = ones(elements);
            // Warm-up: connections, pages of the buffers, the code paths.
            for (var i = 0; i < 2; i++) groups.World.AllReduce(buffer);
            var managed = new List<double>();
            var direct = new List<double>();
            for (var block = 0; block < 3; block++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < iterations; i++) groups.World.AllReduce(buffer);
                managed.Add(clock.Elapsed.TotalSeconds / iterations);
                if (native)
                {
                    // Same context, same size, same algorithm (ring, sum, float32), from a native loop.
                    direct.Add(world.WorldContext!.TimeNativeAllReduce(TensorMemory.Address(buffer), elements, iterations) / iterations);
                }
            }

            lines.Add($"managed {Median(managed).ToString("R", CultureInfo.InvariantCulture)}");
            if (native) lines.Add($"native {Median(direct).ToString("R", CultureInfo.InvariantCulture)}");
            return true;
        });
        return lines;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
