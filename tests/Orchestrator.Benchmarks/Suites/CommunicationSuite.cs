using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Orchestrator.MultiProcess.TestHost;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// The network communicator (Gloo over loopback TCP, one test-host process per simulated node): all-reduce bus
/// bandwidth as nccl-tests defines it (algorithm bandwidth × 2(n−1)/n) for 1, 16 and 64 MiB over 2 and 4 processes;
/// one plain TCP stream on loopback in the same run (the physical limit here); the communicator's time against the
/// same Gloo call issued from native code on the same context; and a d2 training job as 2 processes against 1.
/// Bandwidths are in GB/s (10^9 bytes per second).
/// </summary>
internal sealed class CommunicationSuite : IBenchmarkSuite
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    public string Name => "communication";

    public Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("orch-communication-").FullName;
        try
        {
            var stream = TcpStreamGigabytesPerSecond();
            report.Add("tcp_stream_gbps", stream, "GB/s", new Dictionary<string, object> { ["bytes"] = 16 * 64 * MiB, ["what"] = "one loopback TCP connection, 64 MiB writes" });
            double? busbw64 = null;
            foreach (var processes in new[] { 2, 4 })
            {
                foreach (var (size, iterations) in new[] { (1L, 20), (16L, 6), (64L, 3) })
                {
                    var native = processes == 2 && size == 64;
                    var lines = Probe(root, processes, size * MiB, iterations, native);
                    var seconds = lines["managed"];
                    var busbw = size * MiB / seconds / 1e9 * 2 * (processes - 1) / processes;
                    report.Add($"allreduce_busbw_gbps.{size}MiB.n{processes}", busbw, "GB/s", new Dictionary<string, object>
                    {
                        ["secondsPerAllReduce"] = seconds, ["iterationsPerBlock"] = iterations, ["blocks"] = 3, ["statistic"] = "median of blocks",
                    });
                    if (!native) continue;
                    busbw64 = busbw;
                    report.Add("communicator_overhead.64MiB.n2", seconds / lines["native"], "ratio", new Dictionary<string, object>
                    {
                        ["communicatorSeconds"] = seconds, ["nativeSeconds"] = lines["native"], ["target"] = "<= 1.1",
                    });
                }
            }

            report.Add("allreduce_busbw_over_tcp_stream.64MiB.n2", busbw64!.Value / stream, "ratio", new Dictionary<string, object>
            {
                ["bound"] = "two processes and the Gloo event loops share 2 cores with the copies and reductions; a ring all-reduce moves each byte through the kernel twice",
            });

            var inProcess = Parse(TrainingScenarios.Throughput(placement: null))["tokens_per_s"];
            var outcomes = ChildProcesses.Run([["tokens", root, "0", Output(root, 0)], ["tokens", root, "1", Output(root, 1)]], HangGuard);
            Require(outcomes);
            var split = Parse(File.ReadAllLines(Output(root, 0)))["tokens_per_s"];
            report.Add("tokens_per_s_ratio.multi_process_over_in_process.d2", split / inProcess, "ratio", new Dictionary<string, object>
            {
                ["inProcessTokensPerSecond"] = inProcess, ["multiProcessTokensPerSecond"] = split, ["target"] = ">= 0.7",
                ["warmupSteps"] = TrainingScenarios.WarmupSteps, ["measuredSteps"] = 10,
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static Dictionary<string, double> Probe(string root, int processes, long bytes, int iterations, bool native)
    {
        var store = Path.Combine(root, $"allreduce-{processes}-{bytes}");
        var outcomes = ChildProcesses.Run(
            Enumerable.Range(0, processes).Select(p => (IReadOnlyList<string>)["allreduce", store, $"{p}", $"{processes}", $"{bytes}", $"{iterations}", native ? "native" : "managed", Output(store, p)]).ToList(),
            HangGuard);
        Require(outcomes);
        return Parse(File.ReadAllLines(Output(store, 0)));
    }

    private static double TcpStreamGigabytesPerSecond()
    {
        const int Writes = 16;
        var buffer = new byte[64 * MiB];
        Random.Shared.NextBytes(buffer);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var sender = Task.Run(() =>
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            using var stream = client.GetStream();
            for (var i = 0; i < Writes + 1; i++) stream.Write(buffer);
        });
        using var connection = listener.AcceptTcpClient();
        using var incoming = connection.GetStream();
        var receive = new byte[4 * MiB];
        long Read(long bytes)
        {
            long total = 0;
            while (total < bytes) total += incoming.Read(receive, 0, (int)Math.Min(receive.Length, bytes - total));
            return total;
        }

        // The first write warms the connection and the pages; the rest are timed.
        Read(buffer.Length);
        var clock = Stopwatch.StartNew();
        var received = Read((long)Writes * buffer.Length);
        var seconds = clock.Elapsed.TotalSeconds;
        sender.Wait();
        return received / seconds / 1e9;
    }

    private static void Require(IReadOnlyList<ChildProcesses.Outcome> outcomes)
    {
        var failed = outcomes.FirstOrDefault(o => o.ExitCode != 0);
        if (failed is not null) throw new InvalidOperationException($"process {failed.Process} exited {failed.ExitCode}: {failed.Output}");
    }

    private static Dictionary<string, double> Parse(IEnumerable<string> lines) =>
        lines.Select(l => l.Split(' ')).ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));

    private static string Output(string directory, int process)
    {
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"out-{process}.txt");
    }
}
