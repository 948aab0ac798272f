using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.JobLifecycle;

/// <summary>Finished jobs expire after the TTL; the job index is paged and survives a restart.</summary>
public sealed class RetentionTests(RetentionDaemon daemon) : IClassFixture<RetentionDaemon>
{
    private IGrainFactory Grains => daemon.Grains;

    [Fact]
    public async Task A_finished_job_expires_after_the_ttl_with_its_index_entry()
    {
        await Grains.GetGrain<IJobGrain>("short-lived").SubmitAsync(TestJobs.Tiny("short-lived"));
        await daemon.CompleteAsync("short-lived");
        Assert.Contains(await daemon.Client.ListAsync(), j => j.Id == "short-lived");

        // FinishedTtl is 2 s in this daemon: the job's expiry reminder removes it.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (await Grains.GetGrain<IJobGrain>("short-lived").GetAsync() is not null && DateTime.UtcNow < deadline) await Task.Delay(250);
        Assert.Null(await Grains.GetGrain<IJobGrain>("short-lived").GetAsync());
        Assert.DoesNotContain(await daemon.Client.ListAsync(), j => j.Id == "short-lived");
    }

    [Fact]
    public async Task A_dependent_registered_before_a_restart_is_told_when_its_dependency_succeeds_after_it()
    {
        await Grains.GetGrain<IJobGrain>("before").SubmitAsync(TestJobs.Tiny("before"));
        await Grains.GetGrain<IJobGrain>("after").SubmitAsync(TestJobs.Tiny("after") with { DependsOn = ["before"] });
        await daemon.LaunchedAsync("before");

        await daemon.RestartAsync();
        Assert.Equal(JobState.Pending, (await Grains.GetGrain<IJobGrain>("after").GetAsync())!.State);
        await daemon.CompleteAsync("before");

        var after = await daemon.LaunchedAsync("after");
        Assert.Contains(after.Events, e => e.Reason.StartsWith("every dependency has succeeded (before)", StringComparison.Ordinal));
        await Grains.GetGrain<IJobGrain>("after").CancelAsync("test over");
    }

    [Fact]
    public async Task The_index_spreads_jobs_over_pages_and_lists_them_all_newest_first_before_and_after_a_restart()
    {
        var ids = Enumerable.Range(0, 5).Select(i => $"paged-{i}").ToList();
        foreach (var id in ids) await Grains.GetGrain<IJobGrain>(id).SubmitAsync(TestJobs.Tiny(id));
        try
        {
            await AssertListedAsync();
            var pages = await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Grains.GetGrain<IJobIndexPageGrain>(p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ListAsync()));
            // Pages of two (IndexPageSize), filled in submission order; no page holds more.
            Assert.All(pages, p => Assert.InRange(p.Count, 0, 2));
            Assert.True(pages.Count(p => p.Any(j => ids.Contains(j.Id))) >= 3);

            await daemon.RestartAsync();
            await AssertListedAsync();
        }
        finally
        {
            foreach (var id in ids) await Grains.GetGrain<IJobGrain>(id).CancelAsync("test over");
        }

        async Task AssertListedAsync()
        {
            var listed = (await daemon.Client.ListAsync()).Where(j => ids.Contains(j.Id)).Select(j => j.Id).ToList();
            Assert.Equal(ids.AsEnumerable().Reverse(), listed);
        }
    }
}
