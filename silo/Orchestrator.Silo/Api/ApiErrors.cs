using Microsoft.AspNetCore.Http;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Api;

/// <summary>How the API answers a failure: the status for each kind of refusal, and a body naming what was wrong.</summary>
internal static class ApiErrors
{
    public static int? StatusOf(Exception e) => e switch
    {
        AccessDeniedException { Authenticated: false } => StatusCodes.Status401Unauthorized,
        AccessDeniedException => StatusCodes.Status403Forbidden,
        JobSpecException => StatusCodes.Status400BadRequest,
        JobNotFoundException => StatusCodes.Status404NotFound,
        ArgumentException or BadHttpRequestException => StatusCodes.Status400BadRequest,
        InvalidOperationException => StatusCodes.Status409Conflict,
        _ => null,
    };

    public static Task WriteAsync(HttpContext context, int status, Exception e)
    {
        if (status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer";
        var errors = e is JobSpecException spec ? spec.Errors : [];
        return Results.Json(new ApiError(e.Message, errors), ApiHost.Json, statusCode: e is BadHttpRequestException bad ? bad.StatusCode : status).ExecuteAsync(context);
    }

    /// <summary>A 400 for a malformed job id in a route, before any grain sees it.</summary>
    public static IResult InvalidId(string problem) =>
        Results.Json(new ApiError(problem, [new SpecError("id", problem)]), ApiHost.Json, statusCode: StatusCodes.Status400BadRequest);
}
