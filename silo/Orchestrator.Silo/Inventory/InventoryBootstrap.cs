using Microsoft.Extensions.Logging;
using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Scheduling;
using Orchestrator.Planning.Topology;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Inventory;

/// <summary>
/// On silo start: reads the configured inventory source, hands it to the cluster grain (which tells the scheduler
/// when it changed), and activates the scheduler so waiting and running jobs are looked after at once.
/// </summary>
internal static partial class InventoryBootstrap
{
    public static IInventorySource SourceFor(OrchestratorSiloOptions options) =>
        options.Inventory == "local" ? new LocalInventorySource(options.LocalDevices) : new FileInventorySource(options.Inventory);

    /// <param name="live">
    /// A source the host registered (Kubernetes): it publishes to the cluster grain itself, now and on every change,
    /// with more than a topology says (each node's status); loading it here only waits for its first publication.
    /// A live cluster with no node that can take work yet (a chart installed before its GPU nodes are labelled, every
    /// node NotReady for a moment) still brings the silo up: the source keeps watching and publishes when one can.
    /// </param>
    public static async Task RunAsync(IGrainFactory grains, OrchestratorSiloOptions options, IInventorySource? live, ILogger logger, CancellationToken cancellationToken)
    {
        if (live is not null)
        {
            try
            {
                await live.LoadAsync(cancellationToken);
            }
            catch (InventoryException e)
            {
                LogNoUsableNodeYet(logger, e.Message);
            }
        }
        else
        {
            var topology = await SourceFor(options).LoadAsync(cancellationToken);
            var source = options.Inventory == "local" ? "local" : $"file:{options.Inventory}";
            await grains.GetGrain<IClusterGrain>("default").ApplyInventoryAsync(InventoryMapping.ToSnapshot(topology, source));
        }

        await grains.GetGrain<ISchedulerGrain>("default").RunPassAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the live inventory has no node that can take work yet ({Reason}); starting anyway and waiting for one")]
    private static partial void LogNoUsableNodeYet(ILogger logger, string reason);
}
