using Orchestrator.Contracts.Workers;
using Orchestrator.Kernels.Communication.Gloo;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Worker;

/// <summary>
/// This worker's share of an attempt that spans nodes: one process per node, node index = process index, ranks
/// connected through the Gloo communicator, meeting in the attempt's rendezvous directory on the checkpoint volume
/// (every node mounts it, and the job and attempt in its path keep a stale attempt out).
/// </summary>
internal static class WorkerPlacement
{
    /// <summary>Environment variable with the address this node's Gloo endpoint binds and advertises; 127.0.0.1 when unset (all nodes on this machine).</summary>
    public const string AddressVariable = "ORCHESTRATOR_NODE_ADDRESS";

    /// <summary>
    /// How long rendezvous and each collective may wait for the other processes. A dead peer is noticed at once
    /// (its connection closes); this bounds a live peer that is slower, e.g. restoring a large checkpoint.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>Null when every rank of the attempt is on this node.</summary>
    /// <exception cref="ArgumentException">The attempt spans nodes but the assignment lacks what a split run needs; the message names the field.</exception>
    public static ProcessPlacement? From(WorkerAssignment assignment, Func<string, string?> environment)
    {
        if (assignment.Ranks.Count == assignment.WorldSize) return null;
        var spans = $"this attempt spans nodes ({assignment.Ranks.Count} of its {assignment.WorldSize} ranks are on {assignment.Node})";
        if (assignment.Nodes is not { } nodes || assignment.NodeOfRank is not { } nodeOfRank)
        {
            throw new ArgumentException($"{spans}, but the assignment has no Nodes and NodeOfRank (a launcher older than multi-node training): the worker cannot connect its ranks to the others", nameof(assignment));
        }

        if (nodeOfRank.Count != assignment.WorldSize || nodeOfRank.Any(n => n < 0 || n >= nodes.Count))
        {
            throw new ArgumentException($"{spans}, but NodeOfRank lists {nodeOfRank.Count} ranks (needs {assignment.WorldSize}, each an index into the {nodes.Count} Nodes)", nameof(assignment));
        }

        var process = nodes.ToList().IndexOf(assignment.Node);
        if (process < 0 || assignment.Ranks.Any(r => nodeOfRank[r.Rank] != process))
        {
            throw new ArgumentException($"{spans}, but Nodes and NodeOfRank do not place this node's ranks {string.Join(",", assignment.Ranks.Select(r => r.Rank))} on {assignment.Node}", nameof(assignment));
        }

        if (assignment.CheckpointRoot is not { } root)
        {
            throw new ArgumentException($"{spans}, and its processes meet in a directory on the shared checkpoint volume, but the assignment names no CheckpointRoot", nameof(assignment));
        }

        var address = environment(AddressVariable) is { Length: > 0 } configured ? configured : "127.0.0.1";
        return new ProcessPlacement(nodeOfRank, process, GlooRendezvous.ForAttempt(root, assignment.JobId, assignment.Attempt, address, Timeout).Validate());
    }
}
