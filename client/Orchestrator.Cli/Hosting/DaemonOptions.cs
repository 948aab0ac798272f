using System.CommandLine;
using Microsoft.Extensions.Configuration;
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

    public Option<string?> Config { get; } = new("--config") { Description = "JSON file of settings (section \"Orchestrator\"); environment variables Orchestrator__X__Y and flags override it" };

    public IEnumerable<Option> All => [Mode, DataDirectory, SiloPort, GatewayPort, MetricsPort, MetricsHost, Inventory, LocalDevices, Advertise, CheckpointRoot, Config];

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
        return options;
    }
}
