using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Security;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>Tokens at rest: only hashes are kept, a token authenticates as its user and role, anything else does not.</summary>
public sealed class AuthFileTests
{
    private readonly string _file = Path.Combine(TestJobs.TemporaryDirectory("auth"), "auth.json");

    [Fact]
    public async Task A_created_token_is_kept_only_as_its_hash_and_authenticates_as_its_user()
    {
        var token = AuthFile.AddToken(_file, "alice", Role.Operator, ["research"], DateTimeOffset.UtcNow);
        var second = AuthFile.AddToken(_file, "bob", Role.User, [], DateTimeOffset.UtcNow);
        var text = File.ReadAllText(_file);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.Contains(AuthFile.Hash(token), text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_file));

        var authenticator = new Authenticator(Options.Create(new SecurityOptions { AuthFile = _file }));
        Assert.True(authenticator.Enabled);
        var alice = (await authenticator.AuthenticateAsync(token))!;
        Assert.Equal(("alice", Role.Operator), (alice.User, alice.Role!.Value));
        Assert.Equal(["research"], alice.Queues);
        Assert.Equal("bob", (await authenticator.AuthenticateAsync(second))!.User);
        Assert.Null((await authenticator.AuthenticateAsync(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'))));
        Assert.Null((await authenticator.AuthenticateAsync(AuthFile.Hash(token))));
        Assert.Null((await authenticator.AuthenticateAsync(null)));
    }

    [Fact]
    public async Task A_worker_secret_names_one_attempt_and_a_forged_or_foreign_one_fails()
    {
        AuthFile.AddToken(_file, "alice", Role.User, [], DateTimeOffset.UtcNow);
        var silo = new Authenticator(Options.Create(new SecurityOptions { AuthFile = _file }));
        var otherCluster = new Authenticator(Options.Create(new SecurityOptions { Document = AuthFile.Empty() }));
        var secret = silo.Workers.For("job-a.v2-x1", 3);
        Assert.Equal(new WorkerGrant("job-a.v2-x1", 3), (await silo.AuthenticateAsync(secret))!.Worker);
        Assert.Null((await silo.AuthenticateAsync(secret.Replace(".3.", ".4.", StringComparison.Ordinal))));
        Assert.Null((await otherCluster.AuthenticateAsync(secret)));
        Assert.Null((await silo.AuthenticateAsync(WorkerCredentials.Prefix + "job.1.AAAA")));
        Assert.True(silo.IsInternalMarker(silo.InternalMarker));
        Assert.False(silo.IsInternalMarker(otherCluster.InternalMarker));
    }

    [Fact]
    public async Task A_reload_forgets_verified_tokens_so_a_revoked_one_fails_at_once()
    {
        var alice = AuthFile.AddToken(_file, "alice", Role.User, [], DateTimeOffset.UtcNow);
        var bob = AuthFile.AddToken(_file, "bob", Role.Operator, [], DateTimeOffset.UtcNow);
        var authenticator = new Authenticator(Options.Create(new SecurityOptions { AuthFile = _file }));
        var secret = authenticator.Workers.For("job-a", 1);
        Assert.Same((await authenticator.AuthenticateAsync(alice)), (await authenticator.AuthenticateAsync(alice)));
        Assert.Same((await authenticator.AuthenticateAsync(secret)), (await authenticator.AuthenticateAsync(secret)));

        Assert.Equal("alice", Assert.Single(AuthFile.Revoke(_file, null, AuthFile.Load(_file).Tokens.Single(t => t.User == "alice").Id)).User);
        Assert.True(authenticator.Reload(AuthFile.Load(_file)));
        Assert.Null((await authenticator.AuthenticateAsync(alice)));
        Assert.Equal("bob", (await authenticator.AuthenticateAsync(bob))!.User);
        Assert.Equal(new WorkerGrant("job-a", 1), (await authenticator.AuthenticateAsync(secret))!.Worker);
        Assert.False(authenticator.Reload(AuthFile.Empty()));
        Assert.Null((await authenticator.AuthenticateAsync(bob)));
    }

    [Fact]
    public void Revoking_needs_one_selector_and_a_match()
    {
        AuthFile.AddToken(_file, "alice", Role.User, [], DateTimeOffset.UtcNow);
        Assert.Contains("exactly one of --user", Assert.Throws<ArgumentException>(() => AuthFile.Revoke(_file, "alice", "t-1")).Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of --user", Assert.Throws<ArgumentException>(() => AuthFile.Revoke(_file, null, null)).Message, StringComparison.Ordinal);
        Assert.Contains("--user: no token of 'mallory'", Assert.Throws<ArgumentException>(() => AuthFile.Revoke(_file, "mallory", null)).Message, StringComparison.Ordinal);
        Assert.Contains("--id: no token 't-0'", Assert.Throws<ArgumentException>(() => AuthFile.Revoke(_file, null, "t-0")).Message, StringComparison.Ordinal);
        Assert.Single(AuthFile.Load(_file).Tokens);
    }

    [Fact]
    public void A_malformed_file_is_refused_naming_the_field()
    {
        File.WriteAllText(_file, """{ "clusterKey": "c2hvcnQ=", "tokens": [] }""");
        Assert.Contains("clusterKey", Assert.Throws<ArgumentException>(() => AuthFile.Load(_file)).Message, StringComparison.Ordinal);
        File.WriteAllText(_file, $$"""{ "clusterKey": "{{AuthFile.Empty().ClusterKey}}", "tokens": [ { "id": "t", "user": "a", "role": "root", "queues": [], "sha256": "00" } ] }""");
        Assert.Contains("role", Assert.Throws<ArgumentException>(() => AuthFile.Load(_file)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() => AuthFile.Load(_file + ".missing")).Message, StringComparison.Ordinal);
    }
}
