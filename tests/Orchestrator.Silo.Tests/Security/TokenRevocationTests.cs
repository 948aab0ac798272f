using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Security;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// The running silo follows its auth file: a token added to it is served without a restart, and once revoked it is
/// refused although the silo had verified (and cached) it before. No timed assertion: the test waits, with a generous
/// limit, for the silo to have read the file.
/// </summary>
[Collection(SecureDaemonCollection.Name)]
public sealed class TokenRevocationTests(SecureDaemonFixture daemon)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_revoked_token_is_refused_by_the_running_silo_and_other_tokens_keep_working()
    {
        var file = daemon.Options.Security.AuthFile!;
        var carol = AuthFile.AddToken(file, "carol", Role.User, [], DateTimeOffset.UtcNow);
        var client = await daemon.ClientAsync(carol);
        Assert.Null(await UntilAsync(client, refused: false));
        Assert.NotNull(await client.GetQueueAsync());

        var before = daemon.Metrics.RefusedCount("unauthenticated");
        Assert.Equal("carol", Assert.Single(AuthFile.Revoke(file, "carol", null)).User);
        var refusal = await UntilAsync(client, refused: true);
        Assert.NotNull(refusal);
        Assert.False(refusal.Authenticated);
        Assert.True(daemon.Metrics.RefusedCount("unauthenticated") > before);
        Assert.NotNull(await (await daemon.ClientAsync(daemon.Bob)).GetQueueAsync());
    }

    // Calls until the silo refuses (or serves) the client's token; the refusal, or null once served.
    private static async Task<AccessDeniedException?> UntilAsync(Orchestrator.Client.OrchestratorClient client, bool refused)
    {
        using var limit = new CancellationTokenSource(Patience);
        while (true)
        {
            try
            {
                await client.GetQueueAsync();
                if (!refused) return null;
            }
            catch (AccessDeniedException e) when (refused)
            {
                return e;
            }
            catch (AccessDeniedException) when (!limit.IsCancellationRequested)
            {
            }

            await Task.Delay(50, limit.Token);
        }
    }
}
