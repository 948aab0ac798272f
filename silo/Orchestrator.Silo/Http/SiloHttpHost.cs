using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Silo.Metrics;
using Prometheus;

namespace Orchestrator.Silo.Http;

/// <summary>
/// The silo's HTTP host on the metrics port: <c>/metrics</c> (Prometheus exposition of the silo's registry),
/// <c>/healthz</c> (the process is alive) and <c>/readyz</c> (joined the cluster, and Redis answers in Redis mode).
/// A small web application of its own, so the Orleans host stays a plain generic host and tests can run several
/// silos in one process, each with its own endpoint.
/// </summary>
internal sealed class SiloHttpHost(OrchestratorMetrics metrics, IEnumerable<IReadinessCheck> readiness, string address, int port) : IHostedService, IAsyncDisposable
{
    private const string Live = "live";
    private const string Ready = "ready";
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{(address.Contains(':') ? $"[{address}]" : address)}:{port}");
        var checks = builder.Services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("alive"), [Live]);
        foreach (var check in readiness)
            checks.Add(new HealthCheckRegistration(check.Name, check, HealthStatus.Unhealthy, [Ready], check.Timeout));
        _app = builder.Build();
        _app.MapMetrics("/metrics", metrics.Registry);
        _app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = r => r.Tags.Contains(Live) });
        _app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = r => r.Tags.Contains(Ready), ResponseWriter = HealthReportText.WriteAsync });
        await _app.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
