namespace Orchestrator.Silo.Security;

/// <summary>
/// Marks the calls the silo makes itself (grain to grain, its own services) so <see cref="AccessFilter"/> lets them
/// pass. The marker derives from the cluster key, so a client cannot forge it, and every silo recognises the others'.
/// The HTTP API's calls on a request's behalf are left unmarked and are checked as that request's caller.
/// </summary>
internal sealed class InternalCallMarker(Authenticator authenticator) : IOutgoingGrainCallFilter
{
    // Async so the marker stays in this call's flow and does not linger in the caller's context.
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var fromGrain = context.SourceId is { } source && !GrainTypePrefix.IsClient(source);
        if (fromGrain || RequestContext.Get(SecurityKeys.OnBehalf) is null)
            RequestContext.Set(SecurityKeys.Internal, authenticator.InternalMarker);
        await context.Invoke();
    }
}
