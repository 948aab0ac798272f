using Orchestrator.Contracts.Workers;

namespace Orchestrator.Silo.Execution.External;

/// <summary>Where the nodes of one attempt of a user's program meet: the master (node rank 0) and this node's place.</summary>
/// <param name="MasterAddress">Host name or address of node rank 0 (127.0.0.1 locally, the first pod's DNS name on Kubernetes).</param>
/// <param name="MasterPort">TCP port node rank 0 listens on for the rendezvous; one per attempt.</param>
/// <param name="NodeRank">This node's index in the attempt's placement order.</param>
/// <param name="NodeCount">Nodes of the attempt.</param>
internal sealed record TrainerRendezvous(string MasterAddress, int MasterPort, int NodeRank, int NodeCount)
{
    /// <summary>The rendezvous of <paramref name="assignment"/>'s node: its rank is its index in <see cref="WorkerAssignment.Nodes"/>.</summary>
    /// <exception cref="ArgumentException">The assignment's node is not among its nodes.</exception>
    public static TrainerRendezvous For(WorkerAssignment assignment, string masterAddress, int masterPort)
    {
        var nodes = assignment.Nodes ?? [assignment.Node];
        var rank = nodes.ToList().IndexOf(assignment.Node);
        if (rank < 0) throw new ArgumentException($"node '{assignment.Node}' is not one of the attempt's nodes ({string.Join(", ", nodes)})", nameof(assignment));
        return new TrainerRendezvous(masterAddress, masterPort, rank, nodes.Count);
    }
}
