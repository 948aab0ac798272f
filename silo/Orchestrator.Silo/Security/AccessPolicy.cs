using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>The decision of one <see cref="AccessAttribute"/> for one caller and call: pure, so tests can try every pairing.</summary>
internal static class AccessPolicy
{
    /// <summary>Null when the call is allowed; otherwise why not.</summary>
    public static AccessRefusal? Decide(AccessAttribute rule, Principal? caller, CallFacts call)
    {
        if (caller is null)
            return new("unauthenticated", $"{call.Method} needs a valid token: pass --token or set {CredentialKeys.TokenEnvironment} (HTTP: Authorization: Bearer TOKEN)");
        bool Allowed = rule.Scope switch
        {
            AccessScope.Internal => false,
            AccessScope.Role => caller.IsAtLeast(rule.Role),
            AccessScope.OwnJob => caller.IsAtLeast(Role.Operator) || (caller.Role is not null && call.Owner is { } owner && owner == caller.User),
            AccessScope.Submit => caller.Role is not null,
            AccessScope.AttemptWorker => caller.Worker is { } grant && grant.JobId == call.JobId && grant.Attempt == call.Attempt,
            AccessScope.AnyWorker => caller.Worker is not null || caller.IsAtLeast(Role.Operator),
            AccessScope.OwnJobList => caller.Role is not null,
            _ => false,
        };
        if (!Allowed) return Refuse(rule, caller, call);
        if (rule.Scope == AccessScope.Submit && call.Submitted is { } submitted && caller.Queues.Count > 0 && !caller.Queues.Contains(submitted.Queue))
            return new("forbidden", $"metadata.queue: {caller.User} may not submit to queue '{submitted.Queue}'; permitted: {string.Join(", ", caller.Queues)}");
        return null;
    }

    private static AccessRefusal Refuse(AccessAttribute rule, Principal caller, CallFacts call) => rule.Scope switch
    {
        AccessScope.Internal => new("internal_only", $"{call.Method} is called only inside the control plane"),
        AccessScope.Role => new("forbidden", $"{call.Method} needs role {Name(rule.Role)}; {Describe(caller)}"),
        AccessScope.OwnJob => new("forbidden", $"{call.Method}: job '{call.JobId}' belongs to someone else (or does not exist); {Describe(caller)}"),
        AccessScope.AttemptWorker => new("forbidden", $"{call.Method} is accepted only from a worker of job '{call.JobId}' attempt {call.Attempt} holding that attempt's secret; {Describe(caller)}"),
        AccessScope.AnyWorker => new("forbidden", $"{call.Method} is accepted only from a worker of a running attempt or an operator; {Describe(caller)}"),
        _ => new("forbidden", $"{call.Method} needs a user's token; {Describe(caller)}"),
    };

    private static string Describe(Principal caller) =>
        caller.Worker is { } w ? $"the caller holds a worker secret for job '{w.JobId}' attempt {w.Attempt}" : $"the caller is {caller.User} ({Name(caller.Role!.Value)})";

    private static string Name(Role role) => role.ToString().ToLowerInvariant();
}
