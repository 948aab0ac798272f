using Orchestrator.Silo.Tests.Transport;

namespace Orchestrator.Cli.Tests;

/// <summary><c>orch up --tls-cert/--tls-key/--tls-ca</c> serves TLS, and a client's <c>--tls-ca</c> reaches it; <c>--tls-crl</c> is checked at start.</summary>
public sealed class TlsFlagsTests
{
    [Fact]
    public async Task Up_with_certificates_serves_TLS_to_a_client_given_the_CA_and_refuses_one_given_another()
    {
        var data = Orch.TemporaryDirectory();
        var certificates = TestCertificates.Create(data);
        var (silo, gateway) = (Orch.FreePort(), Orch.FreePort());
        var address = $"127.0.0.1:{gateway}";
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var up = CliApp.RunAsync(["up", "--data-dir", data, "--silo-port", $"{silo}", "--gateway-port", $"{gateway}", "--metrics-port", "0", "--backend", "simulated",
            "--tls-cert", certificates.Silo.Certificate, "--tls-key", certificates.Silo.Key, "--tls-ca", certificates.Ca], output, new StringWriter(), stop.Token);
        try
        {
            for (var i = 0; i < 240 && !output.ToString().Contains("orchestrator daemon up", StringComparison.Ordinal); i++)
            {
                Assert.False(up.IsCompleted, $"orch up ended early: {output}");
                await Task.Delay(500);
            }

            Assert.Contains($"gateway {address} (TLS)", output.ToString(), StringComparison.Ordinal);
            var (exit, text, error) = await Orch.RunAsync("cluster", "--gateway", address, "--tls-ca", certificates.Ca);
            Assert.True(exit == 0, error);
            Assert.Contains("cpu", text, StringComparison.Ordinal);

            (exit, _, error) = await Orch.RunAsync("cluster", "--gateway", address, "--tls-ca", certificates.ForeignCa);
            Assert.Equal(1, exit);
            Assert.Contains("does not chain to the CA in", error, StringComparison.Ordinal);

            (exit, _, error) = await Orch.RunAsync("cluster", "--gateway", address, "--tls-ca", certificates.Ca, "--tls-server-name", "orchestrator.example");
            Assert.Equal(1, exit);
            Assert.Contains("presented a certificate for localhost, 127.0.0.1, not for 'orchestrator.example'", error, StringComparison.Ordinal);

            (exit, _, error) = await Orch.RunAsync("cluster", "--gateway", address, "--tls-ca", Path.Combine(data, "missing.crt"));
            Assert.Equal(1, exit);
            Assert.Contains("--tls-ca", error, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await up);
        }
    }

    [Fact]
    public async Task Up_refuses_a_revocation_list_its_CA_did_not_sign_naming_the_flag()
    {
        var data = Orch.TemporaryDirectory();
        var certificates = TestCertificates.Create(data);
        var foreignList = Path.Combine(data, "foreign.crl");
        File.WriteAllText(foreignList, TestRevocations.Pem(TestRevocations.List(certificates.ForeignCa, [])));
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(["up", "--data-dir", data, "--silo-port", $"{Orch.FreePort()}", "--gateway-port", $"{Orch.FreePort()}", "--metrics-port", "0",
            "--backend", "simulated", "--tls-cert", certificates.Silo.Certificate, "--tls-key", certificates.Silo.Key, "--tls-ca", certificates.Ca, "--tls-crl", foreignList],
            new StringWriter(), error, CancellationToken.None);

        Assert.NotEqual(0, exit);
        Assert.Contains("Orchestrator:Tls:CrlFile (--tls-crl)", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("not by a CA in the CA file", error.ToString(), StringComparison.Ordinal);
    }
}
