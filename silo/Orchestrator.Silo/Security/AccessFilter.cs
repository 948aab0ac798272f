using System.Collections.Concurrent;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Enforces each grain method's <see cref="AccessAttribute"/> on calls from clients (through a gateway, or the HTTP API
/// on a request's behalf); calls made inside the control plane carry the internal marker and pass. Also, with or
/// without authentication: client-sent job ids are checked before any grain uses them, and submissions meet the
/// queue's priority cap and the data roots. A refused call throws <see cref="AccessDeniedException"/> and is counted.
/// </summary>
internal sealed class AccessFilter(
    Authenticator authenticator, AccessRules rules, SubmissionPolicy submissions, SecurityMetrics metrics, AuditLog audit) : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, bool> _tokensSeen = new(StringComparer.Ordinal);

    // Not async: a heartbeat's credential is almost always in the verified-credential cache, so the whole check runs
    // synchronously and the call goes on without a state machine of this filter's; only an OIDC token's first check
    // and a list call whose result is filtered afterwards take the async paths below.
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (authenticator.IsInternalMarker(RequestContext.Get(SecurityKeys.Internal))) return context.Invoke();
        var rule = rules.For(context.InterfaceMethod);
        if (rule is null)
        {
            // Not an Orchestrator interface: Orleans' own plumbing (system targets clients need) passes; any other
            // grain without a rule is closed to clients once authentication is on.
            if (authenticator.Enabled && IsClient(context) && !GrainTypePrefix.IsSystemTarget(context.TargetId) && !GrainTypePrefix.IsGrainService(context.TargetId.Type))
                throw Refuse(null, context.InterfaceMethod.Name, context.TargetId.ToString(), new AccessRefusal("forbidden", $"{context.InterfaceName}.{context.MethodName} has no access rule and is closed to clients"));
            return context.Invoke();
        }

        var key = context.TargetId.Key.ToString()!;
        var scope = rule.Attribute.Scope;
        string? jobId = null;
        if (scope is AccessScope.OwnJob or AccessScope.AttemptWorker or AccessScope.Submit)
        {
            jobId = JobScopedKeys.JobOf(context.InterfaceMethod.DeclaringType, key, scope);
            if (JobScopedKeys.Problem(context.InterfaceMethod.DeclaringType, key) is { } problem) throw Refuse(null, rule.Method, key, new AccessRefusal("invalid_id", problem));
        }

        if (!authenticator.Enabled) return Admitted(context, rule, key, jobId, null);
        var authentication = authenticator.AuthenticateAsync(RequestCredential.Take());
        return authentication.IsCompletedSuccessfully
            ? Admitted(context, rule, key, jobId, authentication.Result)
            : AdmittedAfterAsync(context, rule, key, jobId, authentication);
    }

    private async Task AdmittedAfterAsync(IIncomingGrainCallContext context, AccessRule rule, string key, string? jobId, ValueTask<Principal?> authentication) =>
        await Admitted(context, rule, key, jobId, await authentication);

    /// <summary>Decides the call for <paramref name="caller"/> (null: authentication is off) and, when allowed, makes it.</summary>
    private Task Admitted(IIncomingGrainCallContext context, AccessRule rule, string key, string? jobId, Principal? caller)
    {
        var scope = rule.Attribute.Scope;
        var spec = scope == AccessScope.Submit ? context.Request.GetArgument(0) : null;
        if (authenticator.Enabled)
        {
            if (caller?.TokenId is { } tokenId && _tokensSeen.TryAdd(tokenId, true)) audit.TokenUsed(caller);
            var owner = scope == AccessScope.OwnJob && context.TargetContext.GrainInstance is IJobOwnership job ? job.Owner : null;
            var facts = new CallFacts(rule.Method, jobId, owner, rule.AttemptOf(context.Request), SubmissionPolicy.MetadataOf(spec));
            if (AccessPolicy.Decide(rule.Attribute, caller, facts) is { } refusal) throw Refuse(caller, rule.Method, key, refusal);
        }

        if (scope == AccessScope.Submit)
        {
            var errors = spec switch
            {
                TrainingJobSpec training => submissions.Check(training, caller),
                EvaluationJobSpec evaluation => submissions.Check(evaluation, caller),
                _ => throw new JobSpecException([new SpecError("document", "a job spec is required")]),
            };
            if (errors.Count > 0) throw new JobSpecException(errors);
            if (caller is not null && context.TargetContext.GrainInstance is IJobOwnership job) job.Claim(caller.User);
        }

        if (rule.Attribute.Audited) audit.Accepted(caller, rule.Method, key);
        return scope == AccessScope.OwnJobList && caller is { } user && !user.IsAtLeast(Role.Operator)
            ? OwnJobsOnlyAsync(context, user)
            : context.Invoke();
    }

    private static async Task OwnJobsOnlyAsync(IIncomingGrainCallContext context, Principal user)
    {
        await context.Invoke();
        if (context.Result is IReadOnlyList<JobSummary> jobs) context.Result = jobs.Where(j => j.Owner == user.User).ToList();
    }

    private static bool IsClient(IIncomingGrainCallContext context) => context.SourceId is not { } source || GrainTypePrefix.IsClient(source);

    private AccessDeniedException Refuse(Principal? caller, string method, string target, AccessRefusal refusal)
    {
        metrics.Refused(refusal.Reason);
        audit.Refused(caller, method, target, refusal.Reason);
        return new AccessDeniedException(refusal.Authenticated, refusal.Message);
    }
}
