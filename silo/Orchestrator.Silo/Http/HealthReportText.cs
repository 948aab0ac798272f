using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orchestrator.Silo.Http;

/// <summary>Writes a health report as one line per check, so a failing probe says which condition failed.</summary>
internal static class HealthReportText
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder($"{report.Status}\n");
        foreach (var (name, entry) in report.Entries)
            text.Append($"{name}: {entry.Status}{(entry.Description is { Length: > 0 } d ? $" ({d})" : "")}\n");
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }
}
