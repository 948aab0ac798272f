using System.CommandLine;
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

    public Option<string> Backend { get; } = new("--backend")
    {
        Description = "How workers run: local (processes here), simulated (nothing runs) or kubernetes (pods; the inventory is the cluster's nodes)",
        DefaultValueFactory = _ => "local",
    };

    public Option<string?> Namespace { get; } = new("--namespace") { Description = "Kubernetes namespace of job pods (with --backend kubernetes; default Orchestrator:Kubernetes:Namespace, else 'default')" };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Kubeconfig file (default: the in-cluster service account when KUBERNETES_SERVICE_HOST is set, else ~/.kube/config)" };

    public IEnumerable<Option> All => [Mode, DataDirectory, SiloPort, GatewayPort, MetricsPort, Inventory, LocalDevices, Advertise, CheckpointRoot, Backend, Namespace, Kubeconfig];

    /// <summary>The Kubernetes flags over the configured settings; null unless the backend is <c>kubernetes</c>.</summary>
    public Action<KubernetesBackendOptions>? ReadKubernetes(ParseResult parse)
    {
        if (parse.GetValue(Backend) != "kubernetes")
        {
            if (parse.GetValue(Namespace) is not null || parse.GetValue(Kubeconfig) is not null)
                throw new ArgumentException("--namespace and --kubeconfig apply only with --backend kubernetes");
            return null;
        }

        var ns = parse.GetValue(Namespace);
        var kubeconfig = parse.GetValue(Kubeconfig);
        if (kubeconfig is not null && !File.Exists(kubeconfig)) throw new ArgumentException($"--kubeconfig: file '{kubeconfig}' does not exist");
        return o =>
        {
            if (ns is not null) o.Namespace = ns;
            if (kubeconfig is not null) o.KubeconfigPath = kubeconfig;
        };
    }

    public OrchestratorSiloOptions Read(ParseResult parse) => new()
    {
        Mode = parse.GetValue(Mode),
        RedisConnection = parse.GetValue(GlobalOptions.Redis),
        DataDirectory = parse.GetValue(DataDirectory) ?? OrchestratorSiloOptions.DefaultDataDirectory(),
        SiloPort = parse.GetValue(SiloPort),
        GatewayPort = parse.GetValue(GatewayPort),
        MetricsPort = parse.GetValue(MetricsPort),
        Inventory = parse.GetValue(Inventory)!,
        LocalDevices = parse.GetValue(LocalDevices) ?? Math.Max(1, Environment.ProcessorCount),
        AdvertisedAddress = parse.GetValue(Advertise)!,
        CheckpointRoot = parse.GetValue(CheckpointRoot),
        Backend = parse.GetValue(Backend)!,
        WorkerPath = Daemon.WorkerPath(),
    };
}
