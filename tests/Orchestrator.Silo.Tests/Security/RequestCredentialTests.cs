using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Security;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// The access filter takes a client's credential out of the call's request context: the grain, the calls it makes and
/// the response (which Orleans builds from the context the call arrived with, outside the filter's own flow) never
/// carry it again.
/// </summary>
public sealed class RequestCredentialTests
{
    [Fact]
    public async Task The_credential_is_taken_out_of_the_context_the_response_is_built_in_and_the_rest_stays()
    {
        RequestContext.Clear();
        try
        {
            RequestContext.Set(CredentialKeys.Token, "orch_secret");
            RequestContext.Set("trace", "kept");

            // As Orleans runs the filters: in an async method of its own, after which the response is built out here.
            var taken = await FilterAsync();

            Assert.Equal("orch_secret", taken);
            Assert.Null(RequestContext.Get(CredentialKeys.Token));
            Assert.Equal("kept", RequestContext.Get("trace"));
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public void A_call_without_a_credential_is_left_as_it_is()
    {
        RequestContext.Clear();
        try
        {
            Assert.Null(RequestCredential.Take());
            RequestContext.Set("trace", "kept");
            Assert.Null(RequestCredential.Take());
            Assert.Equal("kept", RequestContext.Get("trace"));
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    private static async Task<object?> FilterAsync()
    {
        await Task.Yield();
        var credential = RequestCredential.Take();
        // The grain, run from here on, no longer sees it either.
        Assert.Null(RequestContext.Get(CredentialKeys.Token));
        return credential;
    }
}
