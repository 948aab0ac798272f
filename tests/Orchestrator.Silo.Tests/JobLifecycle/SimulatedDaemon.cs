using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Client;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.JobLifecycle;

/// <summary>
/// A real daemon host with the simulated backend and four CPU devices: nothing runs, the test acts as the workers
/// (heartbeats, checkpoints, completion). Restartable on the same data folder.
/// </summary>
public class SimulatedDaemon : IAsyncLifetime
{
    private IHost? _host;
    private OrchestratorClient? _client;

    public OrchestratorSiloOptions Options { get; } = DaemonHost.Options(TestJobs.TemporaryDirectory("lifecycle"));

    public IGrainFactory Grains => _client!.Grains;

    public OrchestratorClient Client => _client!;

    internal SimulatedBackend Backend => _host!.Services.GetRequiredService<SimulatedBackend>();

    /// <summary>Configuration keys for the sections the silo binds.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Orchestrator:Scheduler:PassInterval"] = "00:00:00.250",
        ["Orchestrator:Scheduler:PreemptionTimeout"] = "00:00:03",
        ["Orchestrator:Checkpointing:PreemptionGracePeriod"] = "00:10:00",
        ["Orchestrator:Jobs:AttemptsKept"] = "3",
    };

    public async Task InitializeAsync()
    {
        Options.Backend = "simulated";
        Options.LocalDevices = 4;
        await StartAsync();
    }

    public async Task DisposeAsync() => await StopAsync();

    /// <summary>Stops the daemon and starts it again on the same data folder.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>The job once its attempt <paramref name="attempt"/> is launched (the default: any).</summary>
    internal Task<JobView> LaunchedAsync(string id, int attempt = 1) =>
        JobWaits.UntilAsync(Grains, id, j => j.State is JobState.Starting or JobState.Running && j.CurrentAttempt!.Number >= attempt, TimeSpan.FromMinutes(1));

    /// <summary>Acts as the workers of the running attempt: every node reports all steps done.</summary>
    internal async Task CompleteAsync(string id)
    {
        var job = await LaunchedAsync(id);
        foreach (var node in job.CurrentAttempt!.Nodes) await Grains.GetGrain<IJobGrain>(id).ReportCompletedAsync(job.CurrentAttempt.Number, node);
        await JobWaits.UntilStateAsync(Grains, id, JobState.Succeeded, TimeSpan.FromMinutes(1));
    }

    /// <summary>Acts as the workers: a heartbeat from every node of the running attempt; returns what they were told.</summary>
    internal async Task<ReportAck> HeartbeatAsync(JobView job)
    {
        var ack = ReportAck.Continue;
        foreach (var node in job.CurrentAttempt!.Nodes) ack = await Grains.GetGrain<IJobGrain>(job.Id).HeartbeatAsync(job.CurrentAttempt.Number, node);
        return ack;
    }

    private async Task StartAsync()
    {
        _host = await DaemonHost.StartAsync(Options, settings: Settings);
        _client = await DaemonHost.ConnectAsync(Options);
    }

    private async Task StopAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_host is null) return;
        await _host.StopAsync();
        _host.Dispose();
        _host = null;
    }
}
