using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Client;
using Orchestrator.Client.Specs;
using Orchestrator.Kubernetes;
using Orchestrator.Silo.Api;
using Orchestrator.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Cli.Hosting;

/// <summary>Builds and starts a control-plane daemon (an Orleans silo) inside this process.</summary>
internal static class Daemon
{
    /// <summary>The worker the local-process backend runs: <c>$ORCH_WORKER_PATH</c>, else the one built beside this CLI.</summary>
    public static string WorkerPath() =>
        Environment.GetEnvironmentVariable("ORCH_WORKER_PATH") is { Length: > 0 } path
            ? path
            : typeof(Daemon).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == "OrchestratorWorkerPath").Value!;

    /// <param name="configuration">Settings for the sections the silo binds (<c>Orchestrator:Supervision</c>, ...); null for none.</param>
    /// <param name="kubernetes">The Kubernetes flags when the backend is <c>kubernetes</c>: the provider is added to the silo.</param>
    public static async Task<IHost> StartAsync(OrchestratorSiloOptions options, LogLevel logLevel, CancellationToken cancellationToken,
        IConfiguration? configuration = null, Action<KubernetesBackendOptions>? kubernetes = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (configuration is not null) builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel);
        // Orleans' placement retries and shutdown races are routine; show them only when running a daemon verbosely.
        builder.Logging.AddFilter("Orleans", logLevel >= LogLevel.Warning ? LogLevel.Critical : LogLevel.Warning);
        builder.Logging.AddFilter("Polly", logLevel >= LogLevel.Warning ? LogLevel.Critical : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(new JobSpecFormat(JobSpecLoader.Parse, JobIds.New));
        builder.AddOrchestratorSilo(options, kubernetes is null ? null : silo => silo.AddKubernetes(options, kubernetes));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }
}
