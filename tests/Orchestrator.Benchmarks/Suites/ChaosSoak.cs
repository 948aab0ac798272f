using System.Diagnostics;
using System.Reflection;
using Orchestrator.Client;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Benchmarks.Suites;

/// <summary>
/// The soak: one embedded daemon (<c>orch up</c> as a process) on <see cref="Devices"/> CPU devices keeps
/// <see cref="ConcurrentJobs"/> checkpointing jobs running (new ones replace finished ones) while faults are injected
/// every 0.5-2.5 s until <see cref="TargetFaults"/> have been or <see cref="FaultPhase"/> has passed: a worker
/// SIGKILLed, the daemon SIGKILLed (and started again), a random checkpoint chunk corrupted, a device of a running job
/// marked failed (put back in service by an operator two faults later). Then every job is awaited.
/// </summary>
internal sealed class ChaosSoak(string scratch)
{
    private const int Devices = 8;
    private const int ConcurrentJobs = 6;
    private const int Steps = 60;
    private const int TargetFaults = 100;
    private static readonly TimeSpan FaultPhase = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan Drain = TimeSpan.FromMinutes(8);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Orchestrator__Supervision__HeartbeatTimeout"] = "00:00:15",
        ["Orchestrator__Supervision__CheckInterval"] = "00:00:00.500",
        ["Orchestrator__Durability__JobReminderPeriod"] = "00:00:05",
    };

    private readonly Random _random = new(2026);
    private readonly List<string> _jobs = [];
    private readonly HashSet<string> _runTwice = [];
    private readonly Dictionary<string, int> _faults = [];
    private readonly List<string> _drilled = [];
    private OrchestratorSiloOptions _options = null!;
    private DaemonProcess _daemon = null!;
    private OrchestratorClient _client = null!;

    public async Task RunAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        _options = new OrchestratorSiloOptions
        {
            DataDirectory = scratch, LocalDevices = Devices, MetricsPort = 0, SiloPort = LoopbackPorts.Free(), GatewayPort = LoopbackPorts.Free(), ClusterId = "chaos",
            WorkerPath = typeof(ChaosSoak).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "OrchestratorWorkerPath").Value!,
        };
        _daemon = await DaemonProcess.StartAsync(_options, Settings);
        try
        {
            await ConnectAsync(cancellationToken);
            var reference = await UntilDoneAsync((await _client.SubmitAsync(Spec("reference"), cancellationToken)).Id, TimeSpan.FromMinutes(5), cancellationToken);
            var expected = reference.Progress!.Loss;

            var clock = Stopwatch.StartNew();
            while (_faults.Values.Sum() < TargetFaults && clock.Elapsed < FaultPhase)
            {
                await TopUpAsync(cancellationToken);
                SampleConcurrency();
                await InjectAsync(cancellationToken);
                await Task.Delay(_random.Next(500, 2500), cancellationToken);
            }

            var faultSeconds = clock.Elapsed.TotalSeconds;
            foreach (var device in _drilled) await _client.SetCordonAsync(device, cordon: false, cancellationToken);
            var finished = new List<JobView>();
            foreach (var id in _jobs) finished.Add(await UntilDoneAsync(id, Drain, cancellationToken));
            Record(report, expected, finished, faultSeconds, clock.Elapsed.TotalSeconds, cancellationToken);
            var cluster = await _client.GetClusterAsync(cancellationToken);
            var condemned = cluster.Nodes.SelectMany(n => n.Gpus).Where(g => g.Health != GpuHealth.Healthy).Select(g => $"{g.Id}:{g.Health}").ToList();
            report.Add("healthy_devices_condemned", condemned.Count, "count", new Dictionary<string, object> { ["devices"] = condemned });
        }
        finally
        {
            await _client.DisposeAsync();
            await _daemon.DisposeAsync();
            foreach (var pid in _jobs.SelectMany(id => Workers(id))) Process.GetProcessById(pid.Pid).Kill();
        }
    }

    private void Record(BenchmarkReport report, double expected, List<JobView> finished, double faultSeconds, double totalSeconds, CancellationToken cancellationToken)
    {
        var succeeded = finished.Where(j => j.State == JobState.Succeeded).ToList();
        foreach (var job in finished)
        {
            for (var n = 1; n < job.Attempts.Count; n++)
            {
                if (job.Attempts[n - 1].EndedAt is not { } ended || ended > job.Attempts[n].StartedAt) _runTwice.Add(job.Id);
            }
        }

        var mismatches = succeeded.Where(j => Math.Abs(j.Progress!.Loss - expected) > 1e-6 * Math.Max(1, Math.Abs(expected))).ToList();
        report.Add("faults_injected", _faults.Values.Sum(), "count", _faults.ToDictionary(f => f.Key, f => (object)f.Value));
        report.Add("jobs_submitted", _jobs.Count, "count");
        report.Add("jobs_succeeded", succeeded.Count, "count", new Dictionary<string, object>
        {
            ["attempts"] = finished.Sum(j => j.Attempts.Count), ["interruptedAttempts"] = finished.Sum(j => j.Attempts.Count(a => a.Outcome == AttemptOutcome.Interrupted)),
            ["failedAttempts"] = finished.Sum(j => j.Attempts.Count(a => a.Outcome == AttemptOutcome.Failed)),
            ["reattachments"] = finished.Sum(j => j.Events.Count(e => e.Reason.Contains("re-attached", StringComparison.Ordinal))),
            ["faultPhaseSeconds"] = faultSeconds, ["totalSeconds"] = totalSeconds, ["stepsPerJob"] = Steps, ["devices"] = Devices,
        });
        report.Add("jobs_lost", _jobs.Count - succeeded.Count, "count", new Dictionary<string, object>
        {
            ["notSucceeded"] = finished.Where(j => j.State != JobState.Succeeded).Select(j => $"{j.Id}: {j.State} {j.Message}").ToList(),
        });
        report.Add("jobs_run_twice_concurrently", _runTwice.Count, "count");
        report.Add("final_loss_mismatches", mismatches.Count, "count", new Dictionary<string, object>
        {
            ["expectedLoss"] = expected, ["mismatched"] = mismatches.Select(j => $"{j.Id}: {j.Progress!.Loss}").ToList(),
        });
    }

    private async Task InjectAsync(CancellationToken cancellationToken)
    {
        var roll = _random.NextDouble();
        var running = (await _client.ListAsync(cancellationToken)).Where(j => j.State == JobState.Running && _jobs.Contains(j.Id)).Select(j => j.Id).ToList();
        if (roll < 0.40 && running.Count > 0)
        {
            var workers = Workers(running[_random.Next(running.Count)]);
            if (workers.Count == 0) return;
            Process.GetProcessById(workers[_random.Next(workers.Count)].Pid).Kill();
            Count("worker_sigkill");
        }
        else if (roll < 0.65)
        {
            var chunks = Directory.Exists(Path.Combine(scratch, "checkpoints", "chunks"))
                ? Directory.GetFiles(Path.Combine(scratch, "checkpoints", "chunks"), "*", SearchOption.AllDirectories) : [];
            if (chunks.Length == 0) return;
            var chunk = chunks[_random.Next(chunks.Length)];
            await using (var file = new FileStream(chunk, FileMode.Open, FileAccess.ReadWrite))
            {
                if (file.Length == 0) return;
                file.Position = _random.NextInt64(file.Length);
                var value = file.ReadByte();
                file.Position--;
                file.WriteByte((byte)(value ^ 0xFF));
            }

            Count("chunk_corruption");
        }
        else if (roll < 0.90 && running.Count > 0)
        {
            // An operator puts the drilled devices back once the next drill comes (the drill's job has moved on by then).
            foreach (var device in _drilled) await _client.SetCordonAsync(device, cordon: false, cancellationToken);
            _drilled.Clear();
            try
            {
                _drilled.Add(await _client.InjectDeviceFailureAsync(running[_random.Next(running.Count)], rank: 0, deviceId: null, cancellationToken));
                Count("device_fail_drill");
            }
            catch (ArgumentException)
            {
                // The job's attempt ended in between.
            }
        }
        else if (roll >= 0.90)
        {
            await _daemon.KillAsync();
            Count("daemon_sigkill");
            await _client.DisposeAsync();
            // Now and then a worker dies while no daemon runs, as on a node that rebooted with it.
            if (running.Count > 0 && _random.NextDouble() < 0.5 && Workers(running[0]) is { Count: > 0 } orphaned)
            {
                Process.GetProcessById(orphaned[0].Pid).Kill();
                Count("worker_sigkill_while_daemon_down");
            }

            await _daemon.DisposeAsync();
            _daemon = await DaemonProcess.StartAsync(_options, Settings);
            await ConnectAsync(cancellationToken);
        }
    }

    private void Count(string fault) => _faults[fault] = _faults.GetValueOrDefault(fault) + 1;

    private async Task TopUpAsync(CancellationToken cancellationToken)
    {
        var summaries = await _client.ListAsync(cancellationToken);
        var unfinished = summaries.Count(j => _jobs.Contains(j.Id) && j.State is not (JobState.Succeeded or JobState.Failed or JobState.Cancelled));
        for (var i = unfinished; i < ConcurrentJobs; i++) _jobs.Add((await _client.SubmitAsync(Spec($"chaos{_jobs.Count}"), cancellationToken)).Id);
    }

    /// <summary>Two workers of one job alive at once, of different attempts: the job runs twice.</summary>
    private void SampleConcurrency()
    {
        foreach (var id in _jobs)
        {
            if (Workers(id).Select(w => w.Attempt).Distinct().Count() > 1) _runTwice.Add(id);
        }
    }

    private static List<(int Pid, string Attempt)> Workers(string jobId)
    {
        var found = new List<(int, string)>();
        foreach (var pid in WorkerProcesses.Of(jobId))
        {
            try
            {
                var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
                var at = commandLine.IndexOf("/attempt-", StringComparison.Ordinal);
                found.Add((pid, at < 0 ? "?" : commandLine[(at + 9)..].Split('/')[0]));
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return found;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken) =>
        _client = await OrchestratorClient.ConnectAsync(new OrchestratorClientOptions { Gateways = [$"127.0.0.1:{_options.GatewayPort}"], ClusterId = "chaos" }, cancellationToken);

    private async Task<JobView> UntilDoneAsync(string id, TimeSpan patience, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await _client.GetAsync(id, cancellationToken);
            if (job.IsTerminal || clock.Elapsed > patience) return job;
            SampleConcurrency();
            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>A GPT small enough for milliseconds a step; one spec for all, so every job's final loss must equal the reference's.</summary>
    private static TrainingJobSpec Spec(string name) => new(
        new JobMetadata(name, "default", 0),
        new ModelSpec("gpt", 2, 32, 4, 16, 64),
        new DataSpec("builtin:synthetic"),
        new TrainingSpec(4, Steps, new OptimizerSpec("adamw", 3e-3)),
        new ParallelismSpec(false, 1, 1, 1, MicroBatch: 4),
        new ResourcesSpec(1, "cpu"),
        new CheckpointSpec(5, Keep: 3),
        RuntimeSpec.BuiltIn,
        new RestartPolicySpec(MaxAttempts: 1000, BackoffSeconds: 0, MaxBackoffSeconds: 0));
}
