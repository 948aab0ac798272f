using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Security;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>Calls through a real gateway with real tokens: who gets through, who is refused, and that refusals are counted.</summary>
[Collection(SecureDaemonCollection.Name)]
public sealed class GrainAuthorisationTests(SecureDaemonFixture daemon)
{
    [Fact]
    public async Task A_client_without_a_token_is_refused_and_counted()
    {
        var anonymous = await daemon.ClientAsync(null);
        var before = daemon.Metrics.RefusedCount("unauthenticated");
        var error = await Assert.ThrowsAsync<AccessDeniedException>(() => anonymous.ListAsync());
        Assert.False(error.Authenticated);
        Assert.Contains("ORCH_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Equal(before + 1, daemon.Metrics.RefusedCount("unauthenticated"));
        var forged = await daemon.ClientAsync("orch_not-a-real-token");
        Assert.False((await Assert.ThrowsAsync<AccessDeniedException>(() => forged.GetQueueAsync())).Authenticated);
    }

    [Fact]
    public async Task A_users_job_is_its_own_and_operators_but_not_another_users()
    {
        var alice = await daemon.ClientAsync(daemon.Alice);
        var bob = await daemon.ClientAsync(daemon.Bob);
        var ops = await daemon.ClientAsync(daemon.Operator);
        var job = await alice.SubmitAsync(SecureDaemonFixture.Spec("owned", "research", 10));

        Assert.Equal(job.Id, (await alice.GetAsync(job.Id)).Id);
        Assert.Equal(job.Id, (await ops.GetAsync(job.Id)).Id);
        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => bob.GetAsync(job.Id));
        Assert.True(refused.Authenticated);
        await Assert.ThrowsAsync<AccessDeniedException>(() => bob.CancelAsync(job.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bob.ReadLogAsync(job.Id, null, null, 0));
        Assert.DoesNotContain(await bob.ListAsync(), j => j.Id == job.Id);
        Assert.Contains(await ops.ListAsync(), j => j.Id == job.Id && j.Owner == "alice");
        Assert.Equal(JobState.Cancelled, (await alice.CancelAsync(job.Id)).State);
    }

    [Fact]
    public async Task Queues_priorities_and_data_roots_are_policy_and_every_refusal_names_its_field()
    {
        var alice = await daemon.ClientAsync(daemon.Alice);
        var admin = await daemon.ClientAsync(daemon.Admin);
        var queue = await Assert.ThrowsAsync<AccessDeniedException>(() => alice.SubmitAsync(SecureDaemonFixture.Spec("elsewhere", "prod")));
        Assert.StartsWith("metadata.queue", queue.Message, StringComparison.Ordinal);

        var priority = await Assert.ThrowsAsync<JobSpecException>(() => alice.SubmitAsync(SecureDaemonFixture.Spec("jumper", "research", 60)));
        Assert.Equal("metadata.priority", Assert.Single(priority.Errors).Path);
        var allowed = await admin.SubmitAsync(SecureDaemonFixture.Spec("jumper", "research", 60));
        await admin.CancelAsync(allowed.Id);

        foreach (var source in new[] { "file:/etc/shadow", $"file:{daemon.DataRoot}/../auth.json", "file:relative.txt", $"file:{daemon.DataRoot}x/a.txt" })
        {
            var spec = SecureDaemonFixture.Spec("reader") with { Data = new DataSpec(source) };
            // Straight to the grain, past the SDK's own checks: the control plane must refuse it by itself.
            var error = await Assert.ThrowsAsync<JobSpecException>(() => alice.Grains.GetGrain<IJobGrain>($"reader-{Guid.NewGuid():N}"[..20]).SubmitAsync(spec));
            Assert.Contains(error.Errors, e => e.Path == "spec.data.source");
        }

        var inside = await alice.SubmitAsync(SecureDaemonFixture.Spec("reader") with { Data = new DataSpec($"file:{daemon.DataRoot}/corpus.txt") });
        await alice.CancelAsync(inside.Id);
    }

    [Fact]
    public async Task Job_ids_that_are_paths_never_reach_a_grain()
    {
        var admin = await daemon.ClientAsync(daemon.Admin);
        var before = daemon.Metrics.RefusedCount("invalid_id");
        foreach (var id in new[] { "../../etc", "a/../../b", "..", "UPPER", "x\0y", new string('a', 64) })
        {
            var error = await Assert.ThrowsAsync<AccessDeniedException>(() => admin.Grains.GetGrain<IJobGrain>(id).ReadLogAsync(null, null, 0));
            Assert.Contains("job id", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before + 6, daemon.Metrics.RefusedCount("invalid_id"));
    }

    [Fact]
    public async Task A_workers_secret_is_good_for_its_own_attempts_reports_only()
    {
        var (alice, job, assignment) = await daemon.LaunchedJobAsync("worked");
        Assert.StartsWith(WorkerCredentials.Prefix, assignment.Credential, StringComparison.Ordinal);
        Assert.DoesNotContain(assignment.Credential!, assignment.ToString(), StringComparison.Ordinal);
        var worker = await daemon.ClientAsync(assignment.Credential);
        var grain = worker.Grains.GetGrain<IJobGrain>(job.Id);

        Assert.Equal(Contracts.Workers.ReportAck.Continue, await grain.HeartbeatAsync(assignment.Attempt, assignment.Node));
        Assert.True(await grain.MayCommitCheckpointAsync(assignment.Attempt));
        await worker.Grains.GetGrain<INodeGrain>(assignment.Node).HeartbeatAsync(new NodeHeartbeat(DateTimeOffset.UtcNow, job.Id, assignment.Attempt));
        await Assert.ThrowsAsync<AccessDeniedException>(() => grain.HeartbeatAsync(assignment.Attempt + 1, assignment.Node));
        await Assert.ThrowsAsync<AccessDeniedException>(() => grain.GetAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => grain.CancelAsync("a worker may not"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => worker.Grains.GetGrain<IGpuGrain>(assignment.Ranks[0].DeviceId).SetHealthAsync(GpuHealth.Failed, "x"));
        var other = await alice.SubmitAsync(SecureDaemonFixture.Spec("other"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => worker.Grains.GetGrain<IJobGrain>(other.Id).HeartbeatAsync(assignment.Attempt, assignment.Node));

        Assert.Equal(Contracts.Workers.ReportAck.Stop, await grain.ReportCompletedAsync(assignment.Attempt, assignment.Node));
        Assert.Equal(JobState.Succeeded, (await alice.GetAsync(job.Id)).State);
        await alice.CancelAsync(other.Id);
    }

    [Fact]
    public async Task Cordons_and_fault_drills_need_an_operator_and_internal_methods_no_client_may_call()
    {
        var alice = await daemon.ClientAsync(daemon.Alice);
        var ops = await daemon.ClientAsync(daemon.Operator);
        var admin = await daemon.ClientAsync(daemon.Admin);
        await Assert.ThrowsAsync<AccessDeniedException>(() => alice.Grains.GetGrain<IGpuGrain>("local-0/3").SetHealthAsync(GpuHealth.Draining, "mine now"));
        await ops.Grains.GetGrain<IGpuGrain>("local-0/3").SetHealthAsync(GpuHealth.Draining, "cordon for maintenance");
        await ops.Grains.GetGrain<IGpuGrain>("local-0/3").SetHealthAsync(GpuHealth.Healthy, "back");
        Assert.NotNull(await alice.GetClusterAsync());

        var before = daemon.Metrics.RefusedCount("internal_only");
        var error = await Assert.ThrowsAsync<AccessDeniedException>(() => admin.Grains.GetGrain<ISchedulerGrain>("default").RemoveAsync("any"));
        Assert.Contains("only inside the control plane", error.Message, StringComparison.Ordinal);
        Assert.Equal(before + 1, daemon.Metrics.RefusedCount("internal_only"));
    }

    [Fact]
    public async Task Every_grain_method_called_anonymously_by_another_user_or_by_a_worker_of_another_attempt_is_refused()
    {
        var (alice, job, assignment) = await daemon.LaunchedJobAsync("target");
        var callers = new Dictionary<string, Client.OrchestratorClient>
        {
            ["anonymous"] = await daemon.ClientAsync(null),
            ["other-user"] = await daemon.ClientAsync(daemon.Bob),
            ["other-attempt-worker"] = await daemon.ClientAsync(assignment.Credential),
        };
        var (tried, accepted) = await UnauthorisedCallProbe.RunAsync(callers, job.Id, () => SecurityMetrics.Reasons.Sum(daemon.Metrics.RefusedCount));

        Assert.Empty(accepted);
        Assert.True(tried >= 90, $"only {tried} calls tried");
        // Nothing the refused calls asked for happened: the job still waits for its worker.
        Assert.Equal(JobState.Starting, (await alice.GetAsync(job.Id)).State);
        await alice.CancelAsync(job.Id);
    }

}
