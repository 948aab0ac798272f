using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Api;

/// <summary>The routes that suspend, resume and delete a job.</summary>
internal sealed partial class ApiEndpoints
{
    private void MapLifecycle(RouteGroupBuilder v1)
    {
        v1.MapPost("/jobs/{id}/suspend", (string id) => ActAsync(id, job => job.SuspendAsync("suspended through the HTTP API")))
            .WithName("SuspendJob").WithSummary("Suspend a job: it checkpoints when it can, releases its devices and waits until resumed").Produces<JobView>();
        v1.MapPost("/jobs/{id}/resume", (string id) => ActAsync(id, job => job.ResumeAsync("resumed through the HTTP API")))
            .WithName("ResumeJob").WithSummary("Queue a suspended job again; it restarts from its newest checkpoint").Produces<JobView>();
        v1.MapDelete("/jobs/{id}", DeleteAsync).WithName("DeleteJob")
            .WithSummary("Remove a finished job (record, listing, worker logs); ?force=true cancels an unfinished one first").Produces(StatusCodes.Status204NoContent);
    }

    private async Task<IResult> ActAsync(string id, Func<IJobGrain, Task<JobView>> act)
    {
        if (JobIdSyntax.Problem(id) is { } problem) return ApiErrors.InvalidId(problem);
        return Results.Json(await act(grains.GetGrain<IJobGrain>(id)), ApiHost.Json);
    }

    private async Task<IResult> DeleteAsync(string id, bool? force)
    {
        if (JobIdSyntax.Problem(id) is { } problem) return ApiErrors.InvalidId(problem);
        await grains.GetGrain<IJobGrain>(id).DeleteAsync(force ?? false);
        return Results.NoContent();
    }
}
