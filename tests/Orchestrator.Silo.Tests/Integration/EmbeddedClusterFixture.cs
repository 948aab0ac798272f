using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Scheduler;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// One Orleans test-cluster silo with the Orchestrator grains, file storage in a temporary folder, a local
/// inventory of <see cref="LocalDevices"/> CPU devices (two here), and real worker processes.
/// </summary>
public class EmbeddedClusterFixture : IAsyncLifetime
{
    public virtual int LocalDevices => 2;

    /// <summary>'local' (one node of <see cref="LocalDevices"/> devices) or an inventory file.</summary>
    public virtual string Inventory => "local";

    public TestCluster Cluster { get; private set; } = null!;

    public string DataDirectory { get; } = TestJobs.TemporaryDirectory("cluster");

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        // Workers are separate processes: they need the gateway on a real socket, not the in-memory transport.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Properties["DataDirectory"] = DataDirectory;
        builder.Properties["WorkerPath"] = TestJobs.WorkerPath;
        builder.Properties["Inventory"] = Inventory;
        builder.Properties["LocalDevices"] = LocalDevices.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddOrchestrator(new OrchestratorSiloOptions
            {
                DataDirectory = silo.Configuration["DataDirectory"]!,
                WorkerPath = silo.Configuration["WorkerPath"]!,
                Inventory = silo.Configuration["Inventory"]!,
                LocalDevices = int.Parse(silo.Configuration["LocalDevices"]!, System.Globalization.CultureInfo.InvariantCulture),
                MetricsPort = 0,
                // Evaluation tests read scenarios from the repository's examples and from files they write here.
                Security = { DataRoots = [silo.Configuration["DataDirectory"]!, TestJobs.RepositoryFile("examples")] },
            });
            silo.Services.Configure<JobSupervisionOptions>(o =>
            {
                o.HeartbeatTimeout = TimeSpan.FromSeconds(10);
                o.StartTimeout = TimeSpan.FromSeconds(90);
                o.CheckInterval = TimeSpan.FromMilliseconds(500);
            });
            silo.Services.Configure<SchedulerOptions>(o => o.PassInterval = TimeSpan.FromMilliseconds(250));
            silo.Services.Configure<CheckpointingOptions>(o => o.PreemptionGracePeriod = TimeSpan.FromSeconds(30));
        }
    }
}
