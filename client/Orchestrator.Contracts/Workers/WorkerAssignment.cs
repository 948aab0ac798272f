using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Contracts.Workers;

/// <summary>
/// What one worker process is told on start: the ranks of one attempt that run on its node, the plan, the job's
/// spec, and how to reach the control plane.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The attempt number; the control plane ignores reports carrying an older one.</param>
/// <param name="Node">The node this worker hosts ranks on.</param>
/// <param name="Ranks">The ranks of this node, each with its device.</param>
/// <param name="WorldSize">Ranks of the attempt over all nodes.</param>
/// <param name="Plan">The layout.</param>
/// <param name="Spec">The job's spec.</param>
/// <param name="Gateways">Orleans gateway endpoints, <c>host:port</c>.</param>
/// <param name="ClusterId">Orleans cluster id the gateways belong to.</param>
/// <param name="ServiceId">Orleans service id.</param>
/// <param name="RedisConnection">Redis connection string when the cluster uses Redis membership; null for static gateways.</param>
/// <param name="StartStep">Steps already done by the last committed checkpoint the control plane knows of; the worker
/// restores the newest checkpoint that verifies, which may be older if that one is damaged.</param>
/// <param name="CheckpointRoot">Directory of the checkpoint store (local disk or a mounted volume); null to run without checkpoints.</param>
/// <param name="MeanTimeBetweenFailuresSeconds">Mean time between failures for <c>checkpoint.every: auto</c> (Young/Daly).</param>
/// <param name="PeakFlopsPerDevice">Dense BF16 peak FLOP/s of one device, for MFU; null where unknown (CPU stand-in devices).</param>
/// <param name="Nodes">Every node of the attempt in placement order (the order their first rank appears): a node's
/// index is its node rank, and node 0 hosts the rendezvous master. Null from launchers that predate it: then this
/// node is taken as the only one.</param>
/// <param name="NodeOfRank">For every world rank, its node's index in <paramref name="Nodes"/>: the built-in runtime's
/// processes need the whole placement to connect their ranks. Null from launchers that predate it.</param>
/// <param name="Evaluation">For an evaluation shard: its work (the worker then evaluates instead of training, and
/// <paramref name="JobId"/> is the shard's key "run/shard"). Null for a training job.</param>
/// <param name="Credential">The attempt's secret: the worker's token for its own attempt's reports and checkpoint
/// commits, valid for nothing else. Null when the control plane runs without authentication. Never logged.</param>
[GenerateSerializer, Immutable]
public sealed record WorkerAssignment(
    [property: Id(0)] string JobId,
    [property: Id(1)] int Attempt,
    [property: Id(2)] string Node,
    [property: Id(3)] IReadOnlyList<PlacedRank> Ranks,
    [property: Id(4)] int WorldSize,
    [property: Id(5)] JobPlan Plan,
    [property: Id(6)] TrainingJobSpec Spec,
    [property: Id(7)] IReadOnlyList<string> Gateways,
    [property: Id(8)] string ClusterId,
    [property: Id(9)] string ServiceId,
    [property: Id(10)] string? RedisConnection,
    [property: Id(11)] long StartStep,
    [property: Id(12)] string? CheckpointRoot = null,
    [property: Id(13)] double MeanTimeBetweenFailuresSeconds = 3 * 3600,
    [property: Id(14)] double? PeakFlopsPerDevice = null,
    [property: Id(15)] IReadOnlyList<string>? Nodes = null,
    [property: Id(16)] IReadOnlyList<int>? NodeOfRank = null,
    [property: Id(17)] EvaluationShardWork? Evaluation = null,
    [property: Id(18)] string? Credential = null)
{
    /// <summary>The assignment without its secret, for anything that prints or logs it.</summary>
    public override string ToString() => $"WorkerAssignment {{ JobId = {JobId}, Attempt = {Attempt}, Node = {Node}, Ranks = {Ranks.Count} }}";
}
