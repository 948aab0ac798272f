using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Api;

/// <summary>The routes of the HTTP API, each a thin call into the grains (the same ones the SDK calls).</summary>
internal sealed partial class ApiEndpoints(IGrainFactory grains, JobSpecFormat format, ApiOptions options)
{
    private ISchedulerGrain Scheduler => grains.GetGrain<ISchedulerGrain>("default");

    public void Map(IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/jobs", SubmitAsync).WithName("SubmitJob").WithSummary("Submit a TrainingJob document (YAML or JSON); 400 names every field at fault")
            .Accepts<string>("application/yaml", "application/json", "text/plain").Produces<JobView>(StatusCodes.Status201Created).Produces<ApiError>(StatusCodes.Status400BadRequest);
        v1.MapGet("/jobs", () => grains.GetGrain<IJobIndexGrain>("default").ListAsync()).WithName("ListJobs").WithSummary("Jobs, newest first (a user sees its own)");
        v1.MapGet("/jobs/{id}", GetAsync).WithName("GetJob").WithSummary("One job").Produces<JobView>();
        v1.MapPost("/jobs/{id}/cancel", CancelAsync).WithName("CancelJob").WithSummary("Cancel a job").Produces<JobView>();
        MapLifecycle(v1);
        v1.MapGet("/jobs/{id}/logs", LogsAsync).WithName("JobLogs").WithSummary("Worker output from a byte offset").Produces<LogChunk>();
        v1.MapGet("/jobs/{id}/events", EventsAsync).WithName("JobEvents").WithSummary("Events and progress as Server-Sent Events until the job finishes")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        v1.MapGet("/cluster", () => Scheduler.GetClusterViewAsync()).WithName("Cluster").WithSummary("The topology with allocation and health");
        v1.MapGet("/queue", () => Scheduler.GetQueueAsync()).WithName("Queue").WithSummary("The queues and the jobs holding devices");
    }

    private async Task<IResult> SubmitAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var spec = format.Parse(await reader.ReadToEndAsync(request.HttpContext.RequestAborted));
        var job = await grains.GetGrain<IJobGrain>(format.NewJobId(spec.Metadata.Name)).SubmitAsync(spec);
        return Results.Json(job, ApiHost.Json, statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> GetAsync(string id)
    {
        if (JobIdSyntax.Problem(id) is { } problem) return ApiErrors.InvalidId(problem);
        return await grains.GetGrain<IJobGrain>(id).GetAsync() is { } job ? Results.Json(job, ApiHost.Json) : throw new JobNotFoundException(id);
    }

    private async Task<IResult> CancelAsync(string id)
    {
        if (JobIdSyntax.Problem(id) is { } problem) return ApiErrors.InvalidId(problem);
        return Results.Json(await grains.GetGrain<IJobGrain>(id).CancelAsync("cancelled through the HTTP API"), ApiHost.Json);
    }

    private async Task<IResult> LogsAsync(string id, int? attempt, int? rank, long? offset)
    {
        if (JobIdSyntax.Problem(id) is { } problem) return ApiErrors.InvalidId(problem);
        if (offset < 0) throw new ArgumentException($"offset must be 0 or more, got {offset}");
        return Results.Json(await grains.GetGrain<IJobGrain>(id).ReadLogAsync(attempt, rank, offset ?? 0), ApiHost.Json);
    }

    /// <summary>
    /// <c>event: event</c> for each job event, <c>event: progress</c> when progress moves, and a last
    /// <c>event: end</c> carrying the final state.
    /// </summary>
    private async Task EventsAsync(string id, HttpContext context)
    {
        if (JobIdSyntax.Problem(id) is { } problem)
        {
            await ApiErrors.InvalidId(problem).ExecuteAsync(context);
            return;
        }

        var grain = grains.GetGrain<IJobGrain>(id);
        if (await grain.GetAsync() is null) throw new JobNotFoundException(id);
        var aborted = context.RequestAborted;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        long last = 0;
        JobProgress? progress = null;
        while (!aborted.IsCancellationRequested)
        {
            var updates = await grain.GetUpdatesAsync(last);
            foreach (var e in updates.Events)
            {
                last = e.Sequence;
                await WriteAsync(context, "event", e, aborted);
            }

            if (updates.Progress is { } now && now != progress)
            {
                progress = now;
                await WriteAsync(context, "progress", now, aborted);
            }

            if (updates.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled)
            {
                await WriteAsync(context, "end", new { state = updates.State }, aborted);
                return;
            }

            await Task.Delay(options.EventPollInterval, aborted);
        }
    }

    private static async Task WriteAsync<T>(HttpContext context, string name, T data, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, ApiHost.Json)}\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
