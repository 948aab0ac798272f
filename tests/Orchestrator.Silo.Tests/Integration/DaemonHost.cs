using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Jobs;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>A real daemon host, as <c>orch up</c> builds it, on free loopback ports.</summary>
internal static class DaemonHost
{
    public static OrchestratorSiloOptions Options(string dataDirectory, ClusterMode mode = ClusterMode.Embedded, string? redis = null) => new()
    {
        Mode = mode,
        RedisConnection = redis,
        DataDirectory = dataDirectory,
        SiloPort = FreePorts.Next(),
        GatewayPort = FreePorts.Next(),
        MetricsPort = 0,
        LocalDevices = 2,
        ClusterId = "test-" + Path.GetFileName(dataDirectory),
        WorkerPath = TestJobs.WorkerPath,
    };

    /// <param name="keepWorkers">Whether a graceful stop leaves built-in workers running (as <c>orch up</c> does); tests that
    /// do not look at re-attachment stop them, so that none outlives its test.</param>
    /// <param name="settings">Configuration keys (<c>Orchestrator:Section:Key</c>) for the sections the silo binds.</param>
    /// <param name="services">Further services or options of the test's own (Orleans' membership timings, say).</param>
    public static async Task<IHost> StartAsync(OrchestratorSiloOptions options, bool keepWorkers = false, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddOrchestratorSilo(options);
        builder.Services.Configure<JobSupervisionOptions>(o =>
        {
            o.HeartbeatTimeout = TimeSpan.FromSeconds(8);
            o.StartTimeout = TimeSpan.FromSeconds(90);
            o.CheckInterval = TimeSpan.FromMilliseconds(500);
        });
        builder.Services.Configure<LocalProcessBackendOptions>(o => o.KeepWorkersOnShutdown = keepWorkers);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            // A silo refused at start (a test of joining) must not keep its ports and threads.
            host.Dispose();
            throw;
        }

        return host;
    }

    public static Task<OrchestratorClient> ConnectAsync(OrchestratorSiloOptions options) =>
        OrchestratorClient.ConnectAsync(new OrchestratorClientOptions
        {
            Gateways = [$"127.0.0.1:{options.GatewayPort}"],
            RedisConnection = options.Mode == ClusterMode.Redis ? options.RedisConnection : null,
            ClusterId = options.ClusterId,
            ServiceId = options.ServiceId,
        });
}
