using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Orchestrator.Client;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// Submit and heartbeat latency on three daemons in this process with the same history: authentication and TLS, TLS
/// alone, neither. In each round every daemon takes a turn (a worker's heartbeats after a pause for the previous
/// turn's background work, then submits, each cancelled at once) in an order shuffled per round, after a warm-up turn
/// each. A ratio is the median over rounds of the
/// ratio of two daemons' medians in the same round: on this shared machine a whole round can run two or three times
/// slower than the next (other processes' load), which a ratio of medians pooled over all rounds would charge to
/// whichever daemon happened to draw more slow turns. The pooled medians are kept beside each figure.
/// </summary>
internal static class AuthOverheadRounds
{
    private const int Rounds = 16;
    private const int SubmitsPerTurn = 60;
    private const int HeartbeatsPerTurn = 600;
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    public static async Task MeasureAsync(BenchmarkReport report, (IHost Host, OrchestratorClient Client) securedDaemon,
        (IHost Host, OrchestratorClient Client) encryptedDaemon, (IHost Host, OrchestratorClient Client) openDaemon, ClientTlsOptions trustCa, CancellationToken cancellationToken)
    {
        var ((secured, aliceClient), (encrypted, encryptedClient), (open, openClient)) = (securedDaemon, encryptedDaemon, openDaemon);
        var beating = await SecuritySuite.LaunchedAsync(secured, (await aliceClient.SubmitAsync(SecuritySuite.Spec("beat"), cancellationToken)).Id, cancellationToken);
        await using var worker = await SecuritySuite.ConnectAsync(40241, "secured", beating.Credential, trustCa, cancellationToken);
        var encryptedBeating = await SecuritySuite.LaunchedAsync(encrypted, (await encryptedClient.SubmitAsync(SecuritySuite.Spec("beat"), cancellationToken)).Id, cancellationToken);
        var openBeating = await SecuritySuite.LaunchedAsync(open, (await openClient.SubmitAsync(SecuritySuite.Spec("beat"), cancellationToken)).Id, cancellationToken);
        var daemons = new[]
        {
            new Daemon(aliceClient, SecuritySuite.Beat(worker, beating)),
            new Daemon(encryptedClient, SecuritySuite.Beat(encryptedClient, encryptedBeating)),
            new Daemon(openClient, SecuritySuite.Beat(openClient, openBeating)),
        };
        foreach (var daemon in daemons) await TurnAsync(daemon, cancellationToken);
        foreach (var daemon in daemons) daemon.Turns.Clear();
        // Shuffled, so no daemon always runs first, last or right after the same other one (whose submits' background
        // writes may still be going on).
        var random = new Random(14);
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var daemon in daemons.OrderBy(_ => random.Next()).ToList()) await TurnAsync(daemon, cancellationToken);
        }

        var (on, tls, off) = (daemons[0], daemons[1], daemons[2]);
        report.Add("auth_overhead_ratio", Paired(on, off, t => t.Submit + t.Heartbeat), "ratio", new Dictionary<string, object>
        {
            ["submitRatio"] = Paired(on, off, t => t.Submit), ["heartbeatRatio"] = Paired(on, off, t => t.Heartbeat),
            ["pooledRatio"] = (on.Pooled(t => t.Submits) + on.Pooled(t => t.Heartbeats)) / (off.Pooled(t => t.Submits) + off.Pooled(t => t.Heartbeats)),
            ["submitMedianMsWithAuth"] = on.Pooled(t => t.Submits), ["submitMedianMsWithout"] = off.Pooled(t => t.Submits),
            ["heartbeatMedianMsWithAuth"] = on.Pooled(t => t.Heartbeats), ["heartbeatMedianMsWithout"] = off.Pooled(t => t.Heartbeats),
            ["rounds"] = Rounds, ["submits"] = 2 * Rounds * SubmitsPerTurn, ["heartbeats"] = 2 * Rounds * HeartbeatsPerTurn,
            ["transport"] = "TLS 1.3 (ECDSA P-256 certificates from a test CA) with authentication, over plain TCP without",
        });
        // The sum above is mostly the submit's; each of the two is also a figure of its own.
        report.Add("auth_overhead_ratio.submit", Paired(on, off, t => t.Submit), "ratio", new Dictionary<string, object>
        {
            ["pooledRatio"] = on.Pooled(t => t.Submits) / off.Pooled(t => t.Submits), ["submitMedianMsWithAuth"] = on.Pooled(t => t.Submits),
            ["submitMedianMsWithTlsOnly"] = tls.Pooled(t => t.Submits), ["submitMedianMsWithout"] = off.Pooled(t => t.Submits),
        });
        report.Add("auth_overhead_ratio.heartbeat", Paired(on, off, t => t.Heartbeat), "ratio", new Dictionary<string, object>
        {
            ["pooledRatio"] = on.Pooled(t => t.Heartbeats) / off.Pooled(t => t.Heartbeats), ["heartbeatMedianMsWithAuth"] = on.Pooled(t => t.Heartbeats),
            ["heartbeatMedianMsWithTlsOnly"] = tls.Pooled(t => t.Heartbeats), ["heartbeatMedianMsWithout"] = off.Pooled(t => t.Heartbeats),
            ["roundRatios"] = on.Turns.Zip(off.Turns, (a, b) => Math.Round(a.Heartbeat / b.Heartbeat, 3)).ToList(),
        });
        report.Add("tls_overhead_ratio", Paired(tls, off, t => t.Submit + t.Heartbeat), "ratio", new Dictionary<string, object>
        {
            ["submitRatio"] = Paired(tls, off, t => t.Submit), ["heartbeatRatio"] = Paired(tls, off, t => t.Heartbeat),
            ["pooledRatio"] = (tls.Pooled(t => t.Submits) + tls.Pooled(t => t.Heartbeats)) / (off.Pooled(t => t.Submits) + off.Pooled(t => t.Heartbeats)),
            ["submitMedianMsWithTls"] = tls.Pooled(t => t.Submits), ["heartbeatMedianMsWithTls"] = tls.Pooled(t => t.Heartbeats),
        });
    }

    private static double Paired(Daemon measured, Daemon baseline, Func<Turn, double> figure) =>
        Statistics.Median(measured.Turns.Zip(baseline.Turns, (a, b) => figure(a) / figure(b)));

    private static async Task TurnAsync(Daemon daemon, CancellationToken cancellationToken)
    {
        var (submits, heartbeats) = (new List<double>(SubmitsPerTurn), new List<double>(HeartbeatsPerTurn));
        // The previous turn's submits leave background work (job records written, cancellations carried out) that would
        // otherwise land on this turn's heartbeats, a 40-60 µs call, unevenly between daemons.
        await Task.Delay(Settle, cancellationToken);
        for (var i = 0; i < HeartbeatsPerTurn; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await daemon.Beat();
            heartbeats.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        for (var i = 0; i < SubmitsPerTurn; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var job = await daemon.Client.SubmitAsync(SecuritySuite.Spec($"load-{i}"), cancellationToken);
            submits.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await daemon.Client.CancelAsync(job.Id, "benchmark", cancellationToken);
        }

        daemon.Turns.Add(new Turn(submits, heartbeats));
    }

    /// <summary>One daemon's submitting client, its worker's heartbeat, and its turns so far.</summary>
    private sealed record Daemon(OrchestratorClient Client, Func<Task> Beat)
    {
        public List<Turn> Turns { get; } = [];

        public double Pooled(Func<Turn, List<double>> latencies) => Statistics.Median(Turns.SelectMany(latencies));
    }

    /// <summary>One turn's latencies (milliseconds) and their medians.</summary>
    private sealed record Turn(List<double> Submits, List<double> Heartbeats)
    {
        public double Submit { get; } = Statistics.Median(Submits);

        public double Heartbeat { get; } = Statistics.Median(Heartbeats);
    }
}
