using Orchestrator.Contracts.Security;

namespace Orchestrator.Client;

/// <summary>
/// Puts the caller's token into the request context of every grain call this client makes, where the silo's access
/// filter reads it. A per-call entry rather than a connection-level handshake: Orleans' gateway connections are shared
/// and reconnected by the runtime, and the request context is the one channel it carries end to end with each call.
/// </summary>
internal sealed class TokenPropagation(string token) : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        RequestContext.Set(CredentialKeys.Token, token);
        return context.Invoke();
    }
}
