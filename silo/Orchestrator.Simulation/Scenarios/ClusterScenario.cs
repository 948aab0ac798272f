namespace Orchestrator.Simulation.Scenarios;

/// <summary>The simulated cluster: pools of one GPU type each, in nodes of <see cref="GpusPerNode"/> (one NVLink domain per node).</summary>
internal sealed record ClusterScenario(IReadOnlyList<GpuPool> Pools)
{
    public const int GpusPerNode = 8;

    public const int NodesPerRack = 16;

    public const int RacksPerBlock = 16;

    public int TotalGpus => Pools.Sum(p => p.Gpus);
}
