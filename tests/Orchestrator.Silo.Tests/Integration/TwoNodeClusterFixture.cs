namespace Orchestrator.Silo.Tests.Integration;

/// <summary>The embedded cluster with the example two-node inventory (one CPU device per node): one process per node.</summary>
public sealed class TwoNodeClusterFixture : EmbeddedClusterFixture
{
    public override string Inventory => TestJobs.RepositoryFile("examples/inventories/local-2x1.yaml");
}
