namespace Orchestrator.Contracts.Security;

/// <summary>What a token's holder may do. Each role includes the ones before it.</summary>
public enum Role
{
    /// <summary>Submits to the queues it is permitted, reads and cancels its own jobs, reads the cluster and queues.</summary>
    User = 0,

    /// <summary>Also: every job, device health (cordon, fault drills), node heartbeats, the inventory, scheduling passes.</summary>
    Operator = 1,

    /// <summary>Also: tokens and queue policies (kept in the auth file and configuration), and priorities above a queue's cap.</summary>
    Admin = 2,
}
