using System.Globalization;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// <c>orch token create</c> and a daemon started with <c>--auth</c>: the token is printed once and kept as a hash,
/// commands without it are refused in one line, with <c>--token</c> or <c>ORCH_TOKEN</c> they work, and the HTTP API
/// answers with the same rule.
/// </summary>
public sealed class TokenTests
{
    [Fact]
    public async Task A_token_is_printed_once_kept_hashed_and_a_bad_role_is_refused_by_name()
    {
        var file = Path.Combine(Orch.TemporaryDirectory(), "auth.json");
        var (exit, output, _) = await Orch.RunAsync("token", "create", "--user", "alice", "--role", "operator", "--queue", "research", "--file", file);
        Assert.Equal(0, exit);
        var token = output.Trim();
        Assert.StartsWith("orch_", token, StringComparison.Ordinal);
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        Assert.Contains("\"role\": \"operator\"", await File.ReadAllTextAsync(file), StringComparison.Ordinal);

        var bad = await Orch.RunAsync("token", "create", "--user", "bob", "--role", "root", "--file", file);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("--role must be user, operator or admin, got 'root'", bad.Error, StringComparison.Ordinal);

        var unknown = await Orch.RunAsync("token", "revoke", "--user", "mallory", "--file", file);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("--user: no token of 'mallory'", unknown.Error, StringComparison.Ordinal);
        var revoked = await Orch.RunAsync("token", "revoke", "--user", "alice", "--file", file);
        Assert.True(revoked.Exit == 0, revoked.Error);
        Assert.Contains("alice\toperator", revoked.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_with_auth_refuses_commands_without_a_token_and_serves_them_with_one()
    {
        var data = Orch.TemporaryDirectory();
        var file = Path.Combine(data, "auth.json");
        var token = (await Orch.RunAsync("token", "create", "--user", "olga", "--role", "operator", "--file", file)).Out.Trim();
        var (silo, gateway, api) = (Orch.FreePort(), Orch.FreePort(), Orch.FreePort());
        string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var up = CliApp.RunAsync(["up", "--auth", file, "--data-dir", data, "--silo-port", Text(silo), "--gateway-port", Text(gateway), "--metrics-port", "0",
            "--api-port", Text(api), "--backend", "simulated", "--local-devices", "2"], output, new StringWriter(), stop.Token);
        try
        {
            for (var i = 0; i < 240 && !output.ToString().Contains("daemon up", StringComparison.Ordinal); i++)
            {
                await Task.Delay(250);
                Assert.False(up.IsCompleted, $"orch up ended early: {output}");
            }

            var refused = await Orch.RunAsync("queue", "--gateway", $"127.0.0.1:{gateway}");
            Assert.Equal(1, refused.Exit);
            Assert.Contains("error: not authenticated:", refused.Error, StringComparison.Ordinal);
            var served = await Orch.RunAsync("cluster", "--gateway", $"127.0.0.1:{gateway}", "--token", token);
            Assert.True(served.Exit == 0, served.Error);
            Assert.Contains("0/2 devices", served.Out, StringComparison.Ordinal);

            using var http = new HttpClient();
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync($"http://127.0.0.1:{api}/v1/queue")).StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{api}/v1/cluster");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await up);
        }
    }
}
