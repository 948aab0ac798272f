namespace Orchestrator.Benchmarks.Suites;

/// <summary>Latency of <c>RankPlacer.Place</c> over many trials on one simulated cluster shape.</summary>
/// <param name="P50Milliseconds">Median time of one placement.</param>
/// <param name="P99Milliseconds">99th percentile time of one placement.</param>
/// <param name="MeanMilliseconds">Mean time of one placement.</param>
/// <param name="MeanCpuMilliseconds">Mean process CPU time of one placement: unlike wall time, not inflated when a busy host deschedules the process.</param>
/// <param name="Trials">Placements timed.</param>
/// <param name="Succeeded">Placements that found devices (the rest timed the refusal path).</param>
/// <param name="FullyFreeNodeFraction">Mean fraction of nodes with every device free, over the occupancy snapshots.</param>
/// <param name="PartlyBusyNodeFraction">Mean fraction of nodes with some but not all devices busy: the fragmentation.</param>
internal sealed record PlacementTiming(
    double P50Milliseconds,
    double P99Milliseconds,
    double MeanMilliseconds,
    double MeanCpuMilliseconds,
    int Trials,
    int Succeeded,
    double FullyFreeNodeFraction,
    double PartlyBusyNodeFraction);
