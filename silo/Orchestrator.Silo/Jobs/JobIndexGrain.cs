using System.Globalization;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Persistence;

namespace Orchestrator.Silo.Jobs;

/// <summary>
/// The directory of the paged job index: hands out places on pages in submission order (its record changes once per
/// job, not on every save) and merges the pages for listing.
/// </summary>
internal sealed class JobIndexGrain(
    [PersistentState("jobIndex", StorageNames.Durable)] IPersistentState<JobIndexRecord> store,
    IOptions<JobRetentionOptions> retention) : Grain, IJobIndexGrain
{
    private JobIndexRecord Places => store.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Places.Jobs.Count == 0) return;
        // A list kept before paging: its lines move onto pages, and each job learns its page when it next saves.
        foreach (var summary in Places.Jobs.Values.OrderBy(j => j.SubmittedAt))
        {
            var page = NextPlace();
            Places.Moved[summary.Id] = page;
            await Page(page).UpsertAsync(summary);
        }

        Places.Jobs.Clear();
        await store.WriteStateAsync();
    }

    public async Task<int> AssignPageAsync(string jobId)
    {
        var page = Places.Moved.Remove(jobId, out var moved) ? moved : NextPlace();
        await store.WriteStateAsync();
        return page;
    }

    public async Task<IReadOnlyList<JobSummary>> ListAsync()
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, Places.Pages).Select(p => Page(p).ListAsync()));
        return pages.SelectMany(p => p).OrderByDescending(j => j.SubmittedAt).ToList();
    }

    private int NextPlace()
    {
        if (Places.Pages == 0 || Places.NewestPageFill >= Math.Max(1, retention.Value.IndexPageSize))
        {
            Places.Pages++;
            Places.NewestPageFill = 0;
        }

        Places.NewestPageFill++;
        return Places.Pages - 1;
    }

    private IJobIndexPageGrain Page(int number) => GrainFactory.GetGrain<IJobIndexPageGrain>(number.ToString(CultureInfo.InvariantCulture));
}
