using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Evaluation;
using Orchestrator.Silo.Durability;
using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Execution.External;
using Orchestrator.Silo.Http;
using Orchestrator.Silo.Inventory;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Metrics;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Scheduler;
using Orchestrator.Silo.Scheduling.Health;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Api;
using StackExchange.Redis;

namespace Orchestrator.Silo.Hosting;

/// <summary>Adds the Orchestrator control plane (an Orleans silo with its grains, backend and metrics) to a host.</summary>
public static class SiloHosting
{
    /// <summary>Configures <paramref name="builder"/> to run a silo as <paramref name="options"/> say.</summary>
    /// <param name="builder">The host.</param>
    /// <param name="options">The daemon's options.</param>
    /// <param name="providers">Adds providers the silo does not reference itself (the Kubernetes backend), after the Orchestrator's own services.</param>
    /// <exception cref="ArgumentException">An option is missing or malformed; the message names it.</exception>
    public static IHostApplicationBuilder AddOrchestratorSilo(this IHostApplicationBuilder builder, OrchestratorSiloOptions options, Action<ISiloBuilder>? providers = null)
    {
        Validate(options);
        if (options.Backend == "kubernetes" && providers is null)
            throw new ArgumentException("backend 'kubernetes' needs the Kubernetes provider added by the host (Orchestrator.Kubernetes' AddKubernetes)");
        var address = IPAddress.Parse(options.AdvertisedAddress);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            silo.ConfigureEndpoints(address, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            if (options.Mode == ClusterMode.Redis) silo.UseRedisClustering(options.RedisConnection!);
            else silo.UseDevelopmentClustering(new IPEndPoint(address, options.SiloPort));
            silo.AddOrchestrator(options);
            providers?.Invoke(silo);
            SecurityHosting.CredentialWorkers(silo.Services, options.Security);
        });
        return builder;
    }

    /// <summary>
    /// Adds the grains' storage, reminders, services, inventory bootstrap and metrics to a silo whose clustering
    /// and endpoints are configured elsewhere (by <see cref="AddOrchestratorSilo"/>, or by a test cluster).
    /// </summary>
    public static ISiloBuilder AddOrchestrator(this ISiloBuilder silo, OrchestratorSiloOptions options)
    {
        var services = silo.Services;
        if (options.Mode == ClusterMode.Redis)
        {
            var redis = options.RedisConnection!;
            services.AddRedisGrainStorage(StorageNames.Durable, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            silo.UseRedisReminderService(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        }
        else
        {
            var root = Path.Combine(options.DataDirectory, "state");
            services.AddGrainStorage(StorageNames.Durable, (sp, _) => new FileGrainStorage(root, sp.GetRequiredService<Serializer>()));
            silo.AddReminders();
            services.AddSingleton<IReminderTable>(new FileReminderTable(Path.Combine(options.DataDirectory, "state", "reminders.tsv")));
        }

        silo.AddStartupTask((sp, ct) => InventoryBootstrap.RunAsync(sp.GetRequiredService<IGrainFactory>(), options, sp.GetService<IInventorySource>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InventoryBootstrap)), ct));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<OrchestratorMetrics>();
        if (options.Backend == "simulated")
        {
            services.AddSingleton<SimulatedBackend>();
            services.AddSingleton<IExecutionBackend>(sp => sp.GetRequiredService<SimulatedBackend>());
        }
        else if (options.Backend == "local")
        {
            services.AddSingleton<LocalProgramLauncher>();
            services.AddSingleton<IExecutionBackend, LocalProcessBackend>();
        }

        // Backend "kubernetes": the host adds the provider (the Kubernetes project's AddKubernetes), which registers
        // the backend and a live inventory source; the silo does not reference KubernetesClient.

        services.AddOptions<LocalProcessBackendOptions>().Configure(o =>
        {
            o.WorkerPath = options.WorkerPath;
            o.LogsDirectory = Path.Combine(options.DataDirectory, "logs");
        }).BindConfiguration("Orchestrator:LocalProcess");
        // Workers connect back to this silo's gateway, wherever the silo's endpoints were configured.
        services.AddOptions<ControlPlaneEndpoint>().Configure<IOptions<EndpointOptions>, IOptions<ClusterOptions>>((o, endpoint, cluster) =>
        {
            o.Gateways = [$"{endpoint.Value.AdvertisedIPAddress}:{endpoint.Value.GatewayPort}"];
            o.ClusterId = cluster.Value.ClusterId;
            o.ServiceId = cluster.Value.ServiceId;
            o.RedisConnection = options.Mode == ClusterMode.Redis ? options.RedisConnection : null;
        });
        services.AddOptions<JobSupervisionOptions>().BindConfiguration("Orchestrator:Supervision");
        services.AddOptions<CheckpointingOptions>()
            .Configure(o => o.Root = options.CheckpointRoot ?? Path.Combine(options.DataDirectory, "checkpoints"))
            .BindConfiguration("Orchestrator:Checkpointing");
        services.AddOptions<SchedulerOptions>().BindConfiguration("Orchestrator:Scheduler")
            .Validate(o => Scheduling.Policies.SchedulingPolicyNames.TryParse(o.Policy) is not null,
                $"Orchestrator:Scheduler:Policy must be one of {Scheduling.Policies.SchedulingPolicyNames.Allowed}")
            .ValidateOnStart();
        services.AddOptions<EvaluationOptions>()
            .Configure(o =>
            {
                o.ResultsRoot = Path.Combine(options.DataDirectory, "results");
                o.CacheRoot = Path.Combine(options.DataDirectory, "request-cache");
            })
            .BindConfiguration("Orchestrator:Evaluation");
        services.AddOptions<DurabilityOptions>().BindConfiguration("Orchestrator:Durability");
        services.AddOptions<DeviceHealthOptions>().BindConfiguration("Orchestrator:DeviceHealth").Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        // Orleans refuses reminder periods under a minute unless told otherwise; a job's or a quiet period may be shorter.
        services.AddOptions<ReminderOptions>().Configure<IOptions<DurabilityOptions>, IOptions<DeviceHealthOptions>>((o, durability, health) =>
            o.MinimumReminderPeriod = new[] { o.MinimumReminderPeriod, durability.Value.JobReminderPeriod, health.Value.QuietPeriod }.Min());
        services.AddHostedService<ClusterStateMetrics>();
        services.AddSingleton<IReadinessCheck, ClusterMembershipCheck>();
        if (options.Mode == ClusterMode.Redis) services.AddSingleton<IReadinessCheck>(new RedisCheck(options.RedisConnection!));
        silo.AddOrchestratorSecurity(options.Security);
        if (options.Api.Port > 0) services.AddHostedService<ApiHost>();
        if (options.MetricsPort > 0)
            services.AddHostedService(sp => new SiloHttpHost(sp.GetRequiredService<OrchestratorMetrics>(), sp.GetServices<IReadinessCheck>(), options.MetricsHost, options.MetricsPort));
        return silo;
    }

    private static void Validate(OrchestratorSiloOptions options)
    {
        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
            throw new ArgumentException($"advertised address '{options.AdvertisedAddress}' is not an IP address");
        if (options.Mode == ClusterMode.Redis && string.IsNullOrWhiteSpace(options.RedisConnection))
            throw new ArgumentException("redis mode needs a Redis connection string (--redis)");
        foreach (var (name, port) in new[] { ("silo port", options.SiloPort), ("gateway port", options.GatewayPort) })
        {
            if (port is < 1 or > 65535) throw new ArgumentException($"{name} must be between 1 and 65535, got {port}");
        }

        if (!IPAddress.TryParse(options.MetricsHost, out _) && options.MetricsHost is not ("localhost" or "*" or "+"))
            throw new ArgumentException($"metrics host '{options.MetricsHost}' must be an IP address (0.0.0.0 for every interface), 'localhost' or '*'");
        if (options.ExpectedSilos < 1) throw new ArgumentException($"expected silos must be at least 1, got {options.ExpectedSilos}");
        if (options.Api.Port is < 0 or > 65535) throw new ArgumentException($"api port must be between 0 (off) and 65535, got {options.Api.Port}");
        if (!IPAddress.TryParse(options.Api.Host, out _)) throw new ArgumentException($"api host '{options.Api.Host}' must be an IP address (0.0.0.0 for every interface)");
        if (options.MetricsPort is < 0 or > 65535) throw new ArgumentException($"metrics port must be between 0 (off) and 65535, got {options.MetricsPort}");
        if (options.Backend is not ("local" or "simulated" or "kubernetes"))
            throw new ArgumentException($"backend must be 'local', 'simulated' or 'kubernetes', got '{options.Backend}'");
        if (options.LocalDevices < 1) throw new ArgumentException($"local devices must be at least 1, got {options.LocalDevices}");
        // With Kubernetes the inventory is the cluster's nodes, watched through the API.
        if (options.Backend != "kubernetes" && options.Inventory != "local" && !File.Exists(options.Inventory))
            throw new ArgumentException($"inventory file '{options.Inventory}' does not exist (use 'local' or a path to an Inventory YAML file)");
    }
}
