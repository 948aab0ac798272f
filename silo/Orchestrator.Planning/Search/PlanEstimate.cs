using Orchestrator.Planning.Cost;
using Orchestrator.Planning.Memory;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Search;

/// <summary>A layout with its predictions: a plan.</summary>
/// <param name="Choice">The layout and per-rank choices.</param>
/// <param name="Cost">Predicted iteration time, throughput and breakdown.</param>
/// <param name="Memory">Predicted memory of the busiest GPU.</param>
public sealed record PlanEstimate(LayoutChoice Choice, IterationEstimate Cost, MemoryEstimate Memory)
{
    /// <summary>Predicted seconds per iteration.</summary>
    public double IterationSeconds => Cost.IterationSeconds;

    /// <inheritdoc />
    public override string ToString() => $"{Choice}: {Cost.IterationSeconds:F3} s, {Memory.TotalGiB:F1} GiB";
}
