using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Orchestrator.Client;
using Orchestrator.Contracts.Security;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Tests.Transport;
using Orchestrator.Silo.Transport;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// <c>security-heartbeat</c>: where a heartbeat's authentication and TLS overhead goes. Four daemons in this process
/// (neither, TLS alone, authentication alone, both), each with one launched job and nothing else, and six ways to send
/// that job's heartbeat: with no credential, with a worker's credential the daemon does not check, and with the
/// attempt's own secret where the daemon checks it. Each way takes a turn of heartbeats in every round, in an order
/// shuffled per round (so no way always follows another), after a warm-up turn each; figures are medians of all
/// turns' heartbeats and, per way, the median over rounds of its ratio to the plain heartbeat of the same round, with
/// the thread-pool work items and bytes allocated per heartbeat. Then TLS's cost to a round trip without Orleans
/// (<see cref="SslRoundTrip"/>, <c>tls_roundtrip_us.*</c>).
/// </summary>
internal sealed class HeartbeatOverheadSuite : IBenchmarkSuite
{
    private const int Rounds = 24;
    private const int HeartbeatsPerTurn = 400;

    public string Name => "security-heartbeat";

    public async Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), "orchestrator-bench", "heartbeat-" + Guid.NewGuid().ToString("N"));
        var authFile = Path.Combine(root, "auth.json");
        var alice = AuthFile.AddToken(authFile, "alice", Role.User, [], DateTimeOffset.UtcNow);
        var certificates = TestCertificates.Create(root);
        var tls = new TransportSecurityOptions { CertificateFile = certificates.Silo.Certificate, KeyFile = certificates.Silo.Key, CaFile = certificates.Ca };
        var trustCa = new ClientTlsOptions { CaFile = certificates.Ca };
        try
        {
            await using var open = await DaemonAsync(root, "hb-open", null, null, null, cancellationToken);
            await using var encrypted = await DaemonAsync(root, "hb-encrypted", null, tls, trustCa, cancellationToken);
            await using var authenticated = await DaemonAsync(root, "hb-authenticated", authFile, null, null, cancellationToken, alice);
            await using var secured = await DaemonAsync(root, "hb-secured", authFile, tls, trustCa, cancellationToken, alice);
            await using var openCarrier = await open.Connect(secured.Assignment.Credential);
            await using var encryptedCarrier = await encrypted.Connect(secured.Assignment.Credential);
            await using var authenticatedWorker = await authenticated.Connect(authenticated.Assignment.Credential);
            await using var securedWorker = await secured.Connect(secured.Assignment.Credential);
            var ways = new (string Name, Func<Task> Beat)[]
            {
                ("plain", SecuritySuite.Beat(open.Client, open.Assignment)),
                ("plain_credential_unchecked", SecuritySuite.Beat(openCarrier, open.Assignment)),
                ("auth", SecuritySuite.Beat(authenticatedWorker, authenticated.Assignment)),
                ("tls", SecuritySuite.Beat(encrypted.Client, encrypted.Assignment)),
                ("tls_credential_unchecked", SecuritySuite.Beat(encryptedCarrier, encrypted.Assignment)),
                ("tls_auth", SecuritySuite.Beat(securedWorker, secured.Assignment)),
            };
            var latencies = ways.Select(_ => new List<double>()).ToArray();
            var roundMedians = ways.Select(_ => new List<double>()).ToArray();
            var (workItems, allocated) = (new long[ways.Length], new long[ways.Length]);
            foreach (var way in ways) await TurnAsync(way.Beat);
            var random = new Random(14);
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var index in Enumerable.Range(0, ways.Length).OrderBy(_ => random.Next()).ToList())
                {
                    var (items, bytes) = (ThreadPool.CompletedWorkItemCount, GC.GetTotalAllocatedBytes(precise: false));
                    var turn = await TurnAsync(ways[index].Beat);
                    workItems[index] += ThreadPool.CompletedWorkItemCount - items;
                    allocated[index] += GC.GetTotalAllocatedBytes(precise: false) - bytes;
                    latencies[index].AddRange(turn);
                    roundMedians[index].Add(Statistics.Median(turn));
                }
            }

            var plain = Statistics.Median(latencies[0]);
            for (var i = 0; i < ways.Length; i++)
            {
                var median = Statistics.Median(latencies[i]) * 1000;
                var pairedRatio = Statistics.Median(Enumerable.Range(0, Rounds).Select(r => roundMedians[i][r] / roundMedians[0][r]));
                report.Add($"heartbeat_us.{ways[i].Name}", median, "us", new Dictionary<string, object>
                {
                    ["ratioToPlain"] = Statistics.Median(latencies[i]) / plain, ["medianOfRoundRatiosToPlain"] = pairedRatio,
                    ["threadPoolWorkItemsPerHeartbeat"] = (double)workItems[i] / latencies[i].Count, ["bytesAllocatedPerHeartbeat"] = (double)allocated[i] / latencies[i].Count,
                    ["p90Us"] = Statistics.Percentile(latencies[i].Order().ToList(), 0.9) * 1000, ["heartbeats"] = latencies[i].Count,
                });
            }

            var pipeTrips = await TlsPipeRoundTrip.MeasureAsync(5, cancellationToken);
            foreach (var (way, median) in pipeTrips)
                report.Add($"tls_pipe_roundtrip_us.{way}", median, "us", new Dictionary<string, object> { ["ratioToPlain"] = median / pipeTrips["plain"] });

            var roundTrips = await SslRoundTrip.MeasureAsync(5, cancellationToken);
            foreach (var (way, median) in roundTrips)
                report.Add($"tls_roundtrip_us.{way}", median, "us", new Dictionary<string, object> { ["ratioToPlain"] = median / roundTrips["plain"] });
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<List<double>> TurnAsync(Func<Task> heartbeat)
    {
        var latencies = new List<double>(HeartbeatsPerTurn);
        for (var i = 0; i < HeartbeatsPerTurn; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await heartbeat();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return latencies;
    }

    private static async Task<Daemon> DaemonAsync(string root, string name, string? authFile, TransportSecurityOptions? tls, ClientTlsOptions? trust,
        CancellationToken cancellationToken, string? token = null)
    {
        var gateway = LoopbackPorts.Free();
        var host = await SecuritySuite.StartAsync(Path.Combine(root, name), LoopbackPorts.Free(), gateway, authFile, tls, 0, cancellationToken);
        var client = await SecuritySuite.ConnectAsync(gateway, name, token, trust, cancellationToken);
        var assignment = await SecuritySuite.LaunchedAsync(host, (await client.SubmitAsync(SecuritySuite.Spec("beat"), cancellationToken)).Id, cancellationToken);
        return new Daemon(host, client, assignment, credential => SecuritySuite.ConnectAsync(gateway, name, credential, trust, cancellationToken));
    }

    /// <summary>A daemon of this suite, its submitting client, its one job's assignment, and how to connect another client to it.</summary>
    private sealed record Daemon(IHost Host, OrchestratorClient Client, WorkerAssignment Assignment, Func<string?, Task<OrchestratorClient>> Connect) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Host.StopAsync();
            Host.Dispose();
        }
    }
}
