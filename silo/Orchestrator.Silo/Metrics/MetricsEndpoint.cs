using Microsoft.Extensions.Hosting;
using Prometheus;

namespace Orchestrator.Silo.Metrics;

/// <summary>Serves the silo's registry at <c>http://HOST:PORT/metrics</c> for Prometheus to scrape.</summary>
internal sealed class MetricsEndpoint(OrchestratorMetrics metrics, string host, int port) : IHostedService, IDisposable
{
    private KestrelMetricServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new KestrelMetricServer(host, port, "/metrics", metrics.Registry);
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) await _server.StopAsync();
    }

    public void Dispose() => _server?.Dispose();
}
