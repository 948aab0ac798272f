using System.Security.Cryptography.X509Certificates;
using Orchestrator.Client;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Tests.Transport;

/// <summary>Tries connections that TLS should refuse, and makes HTTPS clients that trust the test CA.</summary>
internal static class TlsProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Fails unless connecting fails with <typeparamref name="TException"/> whose message holds <paramref name="reason"/>
    /// (a plain client is never answered by a TLS gateway: it runs out of its <paramref name="timeout"/>).
    /// </summary>
    public static async Task RefusedAsync<TException>(Func<TimeSpan, Task<OrchestratorClient>> connect, string reason, TimeSpan? timeout = null)
        where TException : Exception
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var client = await connect(timeout ?? Patience);
            await client.ListAsync();
        });
        Assert.IsType<TException>(error);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    /// <summary>An HTTP client that trusts servers whose certificate chains to <paramref name="caFile"/>, presenting <paramref name="certificate"/> if given.</summary>
    public static HttpClient Http(string caFile, PemPair? certificate)
    {
        var trust = new CertificateTrust(TransportCertificates.LoadAuthorities(caFile, "test CA"));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, server, chain, _) => server is not null && trust.Accepts(server, chain, CertificateTrust.ServerAuthentication),
        };
        if (certificate is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(TransportCertificates.LoadIdentity(certificate.Certificate, certificate.Key, null, "test client certificate"));
        }

        return new HttpClient(handler) { Timeout = Patience };
    }
}
