using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Takes a client's credential out of a call's request context once the access filter has read it. Orleans builds a
/// call's response with the request context the call arrived with, and passes that context on to every call the grain
/// makes; left in place, the credential would travel back over the wire in every answer (copied, serialised and parsed
/// once more each time) and reach grain code and downstream calls that have no use for it (calls made inside the silo
/// carry the internal marker instead).
/// </summary>
internal static class RequestCredential
{
    public static object? Take()
    {
        var credential = RequestContext.Get(CredentialKeys.Token);
        if (credential is null) return null;
        // RequestContext.Remove would replace the context in this filter's own flow only (the call's response is built
        // outside it); the call's context is one dictionary Orleans made for this call alone, so taking the entry out of
        // that dictionary keeps it out of the response too.
        if (RequestContext.Entries is IDictionary<string, object> callContext) callContext.Remove(CredentialKeys.Token);
        else RequestContext.Remove(CredentialKeys.Token);
        return credential;
    }
}
