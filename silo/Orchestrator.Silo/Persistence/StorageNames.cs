namespace Orchestrator.Silo.Persistence;

/// <summary>Names of the grain storage providers the silo registers.</summary>
internal static class StorageNames
{
    /// <summary>Durable state: job records, queues, inventory, device health.</summary>
    public const string Durable = "orchestrator";
}
