using System.Net;
using System.Security.Authentication;
using Orchestrator.Client;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Transport;

/// <summary>
/// A daemon under mutual TLS given its CA's revocation list (<c>orch up --tls-crl</c>): a certificate the list revokes
/// is refused on the gateway and the HTTP API from the next handshake after the list changes, without a restart.
/// </summary>
public sealed class CertificateRevocationTests
{
    [Fact]
    public async Task A_client_certificate_revoked_while_the_daemon_runs_is_refused_at_its_next_connection()
    {
        var (options, certificates) = TransportSecurityTests.Daemon("crl", mutual: true);
        options.Tls.CrlFile = Path.Combine(Path.GetDirectoryName(certificates.Ca)!, "ca.crl");
        options.Tls.CrlReloadInterval = TimeSpan.FromMilliseconds(100);
        File.WriteAllText(options.Tls.CrlFile, TestRevocations.Pem(TestRevocations.List(certificates.Ca, [])));
        using var host = await DaemonHost.StartAsync(options, services: TransportSecurityTests.WithApi);
        var alice = new ClientTlsOptions { CaFile = certificates.Ca, CertificateFile = certificates.Client.Certificate, KeyFile = certificates.Client.Key };
        await using (var before = await TransportSecurityTests.Connect(options, alice, null))
            Assert.NotNull(await before.GetClusterAsync());

        File.WriteAllText(options.Tls.CrlFile, TestRevocations.Pem(TestRevocations.List(certificates.Ca, [TestRevocations.SerialOf(certificates.Client.Certificate)], number: 2)));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await RefusedAsync(options, alice) && DateTime.UtcNow < deadline) await Task.Delay(100);

        await TlsProbe.RefusedAsync<AuthenticationException>(t => TransportSecurityTests.Connect(options, alice, t), "refused this client's certificate");
        using var revoked = TlsProbe.Http(certificates.Ca, certificates.Client);
        await Assert.ThrowsAsync<HttpRequestException>(() => revoked.GetStringAsync($"https://127.0.0.1:{options.Api.Port}/v1/cluster"));
        // The silo's own certificate is not on the list: silos and the workers that present it still get in.
        var silo = new ClientTlsOptions { CaFile = certificates.Ca, CertificateFile = certificates.Silo.Certificate, KeyFile = certificates.Silo.Key };
        await using var other = await TransportSecurityTests.Connect(options, silo, null);
        Assert.NotNull(await other.GetClusterAsync());
        using var identified = TlsProbe.Http(certificates.Ca, certificates.Silo);
        Assert.Equal(HttpStatusCode.OK, (await identified.GetAsync($"https://127.0.0.1:{options.Api.Port}/v1/cluster")).StatusCode);
    }

    [Fact]
    public async Task A_revocation_list_that_cannot_be_believed_is_refused_at_start_naming_the_setting()
    {
        var (options, certificates) = TransportSecurityTests.Daemon("crl-settings", mutual: true);
        options.Tls.CrlFile = Path.Combine(Path.GetDirectoryName(certificates.Ca)!, "foreign.crl");
        File.WriteAllBytes(options.Tls.CrlFile, TestRevocations.List(certificates.ForeignCa, []));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DaemonHost.StartAsync(options, services: TransportSecurityTests.WithApi));
        Assert.Contains("Orchestrator:Tls:CrlFile (--tls-crl)", error.Message, StringComparison.Ordinal);
        Assert.Contains("not by a CA in the CA file", error.Message, StringComparison.Ordinal);

        options.Tls.CaFile = null;
        error = await Assert.ThrowsAsync<ArgumentException>(() => DaemonHost.StartAsync(options, services: TransportSecurityTests.WithApi));
        Assert.Contains("needs the CA that signs it", error.Message, StringComparison.Ordinal);
    }

    private static async Task<bool> RefusedAsync(OrchestratorSiloOptions options, ClientTlsOptions tls)
    {
        try
        {
            await using var client = await TransportSecurityTests.Connect(options, tls, TimeSpan.FromSeconds(10));
            await client.GetClusterAsync();
            return false;
        }
        catch (AuthenticationException)
        {
            return true;
        }
        catch (TimeoutException)
        {
            // The new list came in force between the SDK's own handshake (accepted) and Orleans' (refused, and retried).
            return true;
        }
    }
}
