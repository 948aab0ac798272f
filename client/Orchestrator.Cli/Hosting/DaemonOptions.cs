using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Orchestrator.Kubernetes;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Cli.Hosting;

/// <summary>The daemon's command-line options, shared by <c>up</c> (and, for the data folder, <c>run</c>).</summary>
internal sealed class DaemonOptions
{
    public Option<ClusterMode> Mode { get; } = new("--mode") { Description = "embedded (one silo, state in files) or redis (a cluster of silos)", DefaultValueFactory = _ => ClusterMode.Embedded };

    public Option<string?> DataDirectory { get; } = new("--data-dir") { Description = "Folder for grain state and worker logs (default $ORCH_HOME or ~/.orchestrator)" };

    public Option<int> SiloPort { get; } = new("--silo-port") { Description = "Silo-to-silo port", DefaultValueFactory = _ => 11111 };

    public Option<int> GatewayPort { get; } = new("--gateway-port") { Description = "Gateway port for clients and workers", DefaultValueFactory = _ => 30000 };

    public Option<int> MetricsPort { get; } = new("--metrics-port") { Description = "Prometheus /metrics port (0 turns it off)", DefaultValueFactory = _ => 9464 };

    public Option<string> Inventory { get; } = new("--inventory") { Description = "'local' (this machine, CPU devices) or an Inventory YAML file", DefaultValueFactory = _ => "local" };

    public Option<int?> LocalDevices { get; } = new("--local-devices") { Description = "CPU devices the local inventory offers (default: processor count)" };

    public Option<string> Advertise { get; } = new("--advertise") { Description = "Address to bind and advertise", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<string?> CheckpointRoot { get; } = new("--checkpoint-root") { Description = "Checkpoint store directory, seen by every worker (default DATA/checkpoints)" };

    public Option<string> MetricsHost { get; } = new("--metrics-host") { Description = "Address /metrics, /healthz and /readyz bind (0.0.0.0: every interface)", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<string> Backend { get; } = new("--backend")
    {
        Description = "How workers run: local (processes here), simulated (nothing runs) or kubernetes (pods; the inventory is the cluster's nodes)",
        DefaultValueFactory = _ => "local",
    };

    public Option<string?> Namespace { get; } = new("--namespace") { Description = "Kubernetes namespace of job pods (with --backend kubernetes; default Orchestrator:Kubernetes:Namespace, else 'default')" };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Kubeconfig file (default: the in-cluster service account when KUBERNETES_SERVICE_HOST is set, else ~/.kube/config)" };

    public Option<string?> Config { get; } = new("--config") { Description = "JSON file of settings (section \"Orchestrator\"); environment variables Orchestrator__X__Y and flags override it" };

    public Option<string?> Auth { get; } = new("--auth") { Description = "Auth file of API tokens (orch token create writes it): clients must then present a token; without it every client is trusted" };

    public Option<int> ApiPort { get; } = new("--api-port") { Description = "Port of the HTTP/JSON API (0: off)", DefaultValueFactory = _ => 0 };

    public Option<string> ApiHost { get; } = new("--api-host") { Description = "Address the HTTP API binds (0.0.0.0: every interface)", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<string[]> DataRoots { get; } = new("--data-root") { Description = "A folder file: data sources may read from (repeatable; none: file: sources are refused)", AllowMultipleArgumentsPerToken = false };

    public Option<bool> TlsRequireClientCert { get; } = new("--tls-require-client-cert")
    {
        Description = "Mutual TLS: gateway and HTTP API clients must present a certificate that chains to --tls-ca (the TLS certificate itself is the global --tls-cert/--tls-key/--tls-ca)",
    };

    public Option<string?> TlsCrl { get; } = new("--tls-crl")
    {
        Description = "The CA's certificate revocation list(s), PEM or DER, signed by a CA in --tls-ca: revoked silo and client certificates are refused (read again every 30 s)",
    };

    public IEnumerable<Option> All => [Mode, DataDirectory, SiloPort, GatewayPort, MetricsPort, MetricsHost, Inventory, LocalDevices, Advertise, CheckpointRoot, Backend, Namespace, Kubeconfig, Config, Auth, ApiPort, ApiHost, DataRoots, TlsRequireClientCert, TlsCrl];

    /// <summary>The configuration <c>--config</c> and the environment give, for every section the silo binds.</summary>
    public IConfigurationRoot Configuration(ParseResult parse) => DaemonConfiguration.Load(parse.GetValue(Config));

    /// <summary>The silo options: defaults, then <paramref name="configuration"/>, then the flags written on the command line.</summary>
    public OrchestratorSiloOptions Read(ParseResult parse, IConfiguration configuration)
    {
        var options = DaemonConfiguration.Bind(configuration, new OrchestratorSiloOptions { WorkerPath = Daemon.WorkerPath() });
        bool Given(Option option) => DaemonConfiguration.Given(parse, option);
        if (Given(Mode)) options.Mode = parse.GetValue(Mode);
        if (Given(GlobalOptions.Redis)) options.RedisConnection = parse.GetValue(GlobalOptions.Redis);
        if (Given(DataDirectory)) options.DataDirectory = parse.GetValue(DataDirectory)!;
        if (Given(SiloPort)) options.SiloPort = parse.GetValue(SiloPort);
        if (Given(GatewayPort)) options.GatewayPort = parse.GetValue(GatewayPort);
        if (Given(MetricsPort)) options.MetricsPort = parse.GetValue(MetricsPort);
        if (Given(MetricsHost)) options.MetricsHost = parse.GetValue(MetricsHost)!;
        if (Given(Inventory)) options.Inventory = parse.GetValue(Inventory)!;
        if (Given(LocalDevices)) options.LocalDevices = parse.GetValue(LocalDevices)!.Value;
        if (Given(Advertise)) options.AdvertisedAddress = parse.GetValue(Advertise)!;
        if (Given(CheckpointRoot)) options.CheckpointRoot = parse.GetValue(CheckpointRoot);
        if (Given(Backend)) options.Backend = parse.GetValue(Backend)!;
        if (Given(Auth)) options.Security.AuthFile = Path.GetFullPath(parse.GetValue(Auth)!);
        if (Given(ApiPort)) options.Api.Port = parse.GetValue(ApiPort);
        if (Given(ApiHost)) options.Api.Host = parse.GetValue(ApiHost)!;
        if (Given(DataRoots)) options.Security.DataRoots = [.. parse.GetValue(DataRoots)!.Select(Path.GetFullPath)];
        if (Given(TransportFlags.Certificate)) options.Tls.CertificateFile = Path.GetFullPath(parse.GetValue(TransportFlags.Certificate)!);
        if (Given(TransportFlags.Key)) options.Tls.KeyFile = Path.GetFullPath(parse.GetValue(TransportFlags.Key)!);
        if (Given(TransportFlags.Ca)) options.Tls.CaFile = Path.GetFullPath(parse.GetValue(TransportFlags.Ca)!);
        if (Given(TlsRequireClientCert)) options.Tls.RequireClientCertificate = parse.GetValue(TlsRequireClientCert);
        if (Given(TlsCrl)) options.Tls.CrlFile = Path.GetFullPath(parse.GetValue(TlsCrl)!);
        return options;
    }

    /// <summary>
    /// The Kubernetes flags over the configured <c>Orchestrator:Kubernetes</c> settings; null unless the backend
    /// (<paramref name="options"/>, from the flag or the configuration) is <c>kubernetes</c>.
    /// </summary>
    public Action<KubernetesBackendOptions>? ReadKubernetes(ParseResult parse, OrchestratorSiloOptions options)
    {
        var ns = parse.GetValue(Namespace);
        var kubeconfig = parse.GetValue(Kubeconfig);
        if (options.Backend != "kubernetes")
        {
            if (ns is not null || kubeconfig is not null)
                throw new ArgumentException("--namespace and --kubeconfig apply only with --backend kubernetes");
            return null;
        }

        if (kubeconfig is not null && !File.Exists(kubeconfig)) throw new ArgumentException($"--kubeconfig: file '{kubeconfig}' does not exist");
        return o =>
        {
            if (ns is not null) o.Namespace = ns;
            if (kubeconfig is not null) o.KubeconfigPath = kubeconfig;
        };
    }
}
