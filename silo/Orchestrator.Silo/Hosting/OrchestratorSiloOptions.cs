using Orchestrator.Silo.Api;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Transport;

namespace Orchestrator.Silo.Hosting;

/// <summary>Everything a daemon needs to start (section <c>Orchestrator</c>; the CLI maps its flags here).</summary>
public sealed class OrchestratorSiloOptions
{
    /// <summary>Embedded (one silo, files) or Redis (a cluster of silos).</summary>
    public ClusterMode Mode { get; set; } = ClusterMode.Embedded;

    /// <summary>Redis connection string for <see cref="ClusterMode.Redis"/>.</summary>
    public string? RedisConnection { get; set; }

    /// <summary>Where grain state (embedded mode) and worker logs are kept.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>Directory of the checkpoint store (a local disk or a volume every worker mounts); null for <c>DATA/checkpoints</c>.</summary>
    public string? CheckpointRoot { get; set; }

    /// <summary>Address silos and gateways bind and advertise; loopback unless a cluster spans machines.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Gateway port clients and workers connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Port of the Prometheus <c>/metrics</c> endpoint; 0 turns it off.</summary>
    public int MetricsPort { get; set; } = 9464;

    /// <summary>Address the HTTP host (<c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>) binds: an IP address (0.0.0.0 for every interface).</summary>
    public string MetricsHost { get; set; } = "127.0.0.1";

    /// <summary>Silos the deployment runs (the Helm chart sets its replica count): exported as <c>orchestrator_silos_expected</c> for the fewer-silos alert.</summary>
    public int ExpectedSilos { get; set; } = 1;

    /// <summary>Orleans cluster id.</summary>
    public string ClusterId { get; set; } = "orchestrator";

    /// <summary>Orleans service id.</summary>
    public string ServiceId { get; set; } = "orchestrator";

    /// <summary><c>local</c> (this machine as one node of CPU devices) or the path of an Inventory YAML file.</summary>
    public string Inventory { get; set; } = "local";

    /// <summary>CPU devices the local inventory offers.</summary>
    public int LocalDevices { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// How workers run: <c>local</c> (processes on this machine), <c>simulated</c> (nothing runs; a simulator acts as the
    /// workers) or <c>kubernetes</c> (pods; the host adds the Kubernetes provider, which also supplies the inventory).
    /// </summary>
    public string Backend { get; set; } = "local";

    /// <summary>The worker executable (<c>Orchestrator.Worker.dll</c>) the local-process backend runs.</summary>
    public string WorkerPath { get; set; } = "";

    /// <summary>Authentication, queue priority caps and data roots (section <c>Orchestrator:Security</c>).</summary>
    public SecurityOptions Security { get; set; } = new();

    /// <summary>The HTTP/JSON API (section <c>Orchestrator:Api</c>); off unless a port is given.</summary>
    public ApiOptions Api { get; set; } = new();

    /// <summary>TLS between silos, to gateways and on the HTTP API (section <c>Orchestrator:Tls</c>); off unless a certificate is given.</summary>
    public TransportSecurityOptions Tls { get; set; } = new();

    /// <summary>The default data directory: <c>$ORCH_HOME</c>, else <c>~/.orchestrator</c>.</summary>
    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("ORCH_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".orchestrator");
}
