using System.Net;
using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Client.Specs;
using Orchestrator.Silo.Api;
using Orchestrator.Client;
using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Tests.Integration;
using Orchestrator.Silo.Transport;

namespace Orchestrator.Silo.Tests.Transport;

/// <summary>
/// TLS on a real daemon host (as <c>orch up --tls-cert --tls-key --tls-ca</c> builds it) on loopback, with certificates
/// made by the test: who can connect to the gateway and the HTTP API, and what stays plain.
/// </summary>
public sealed class TransportSecurityTests
{
    [Fact]
    public async Task Only_a_client_that_trusts_the_CA_connects_and_then_its_calls_work_while_health_stays_plain_HTTP()
    {
        var (options, certificates) = Daemon("tls", mutual: false);
        using var host = await DaemonHost.StartAsync(options, services: WithApi);

        await TlsProbe.RefusedAsync<TimeoutException>(t => Connect(options, null, t), "--tls-ca", TimeSpan.FromSeconds(15));
        await TlsProbe.RefusedAsync<AuthenticationException>(t => Connect(options, new ClientTlsOptions { CaFile = certificates.ForeignCa }, t), "does not chain to the CA in");
        await TlsProbe.RefusedAsync<AuthenticationException>(t => Connect(options, new ClientTlsOptions(), t), "does not chain to the machine's trusted roots");

        await using var client = await Connect(options, new ClientTlsOptions { CaFile = certificates.Ca }, null);
        var job = await client.SubmitAsync(TestJobs.Tiny("over-tls", steps: 5));
        Assert.Contains(await client.ListAsync(), j => j.Id == job.Id);

        using var https = TlsProbe.Http(certificates.Ca, null);
        Assert.Contains(job.Id, await https.GetStringAsync($"https://127.0.0.1:{options.Api.Port}/v1/jobs"), StringComparison.Ordinal);
        using var plain = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetStringAsync($"http://127.0.0.1:{options.Api.Port}/v1/jobs"));
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync($"http://127.0.0.1:{options.MetricsPort}/healthz")).StatusCode);
    }

    [Fact]
    public async Task Under_mutual_TLS_a_client_without_a_certificate_from_the_CA_is_refused()
    {
        var (options, certificates) = Daemon("mtls", mutual: true);
        using var host = await DaemonHost.StartAsync(options, services: WithApi);

        await TlsProbe.RefusedAsync<AuthenticationException>(t => Connect(options, new ClientTlsOptions { CaFile = certificates.Ca }, t), "requires a client certificate");
        var foreign = new ClientTlsOptions { CaFile = certificates.Ca, CertificateFile = certificates.ForeignClient.Certificate, KeyFile = certificates.ForeignClient.Key };
        await TlsProbe.RefusedAsync<AuthenticationException>(t => Connect(options, foreign, t), "refused this client's certificate");

        var own = new ClientTlsOptions { CaFile = certificates.Ca, CertificateFile = certificates.Client.Certificate, KeyFile = certificates.Client.Key };
        await using var client = await Connect(options, own, null);
        Assert.NotNull(await client.GetClusterAsync());

        using var anonymous = TlsProbe.Http(certificates.Ca, null);
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetStringAsync($"https://127.0.0.1:{options.Api.Port}/v1/cluster"));
        using var identified = TlsProbe.Http(certificates.Ca, certificates.Client);
        Assert.Equal(HttpStatusCode.OK, (await identified.GetAsync($"https://127.0.0.1:{options.Api.Port}/v1/cluster")).StatusCode);
    }

    [Fact]
    public async Task A_gateway_whose_certificate_names_another_host_is_refused_unless_that_name_is_the_one_expected()
    {
        var (options, certificates) = Daemon("tls-name", mutual: false);
        options.Tls.CertificateFile = certificates.Misnamed.Certificate;
        options.Tls.KeyFile = certificates.Misnamed.Key;
        using var host = await DaemonHost.StartAsync(options, services: WithApi);

        await TlsProbe.RefusedAsync<AuthenticationException>(t => Connect(options, new ClientTlsOptions { CaFile = certificates.Ca }, t),
            $"the gateway at 127.0.0.1:{options.GatewayPort} presented a certificate for orchestrator.example, 10.0.0.7, not for '127.0.0.1'");
        await TlsProbe.RefusedAsync<AuthenticationException>(t => Connect(options, new ClientTlsOptions { CaFile = certificates.Ca, ServerName = "other.example" }, t),
            "not for 'other.example'");
        await using var client = await Connect(options, new ClientTlsOptions { CaFile = certificates.Ca, ServerName = "orchestrator.example" }, null);
        Assert.NotNull(await client.GetClusterAsync());
    }

    [Fact]
    public async Task Settings_that_cannot_work_are_refused_at_start_naming_the_setting()
    {
        var (options, certificates) = Daemon("tls-settings", mutual: false);
        options.Tls.CaFile = certificates.ForeignCa;
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DaemonHost.StartAsync(options, services: WithApi));
        Assert.Contains("--tls-cert", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not chain", error.Message, StringComparison.Ordinal);

        options.Tls = new TransportSecurityOptions { CertificateFile = certificates.Client.Certificate, KeyFile = certificates.Client.Key, CaFile = certificates.Ca };
        error = await Assert.ThrowsAsync<ArgumentException>(() => DaemonHost.StartAsync(options, services: WithApi));
        Assert.Contains("server authentication", error.Message, StringComparison.Ordinal);

        options.Tls = new TransportSecurityOptions { CertificateFile = certificates.Silo.Certificate, KeyFile = certificates.Client.Key };
        error = await Assert.ThrowsAsync<ArgumentException>(() => DaemonHost.StartAsync(options, services: WithApi));
        Assert.Contains("--tls-cert", error.Message, StringComparison.Ordinal);

        options.Tls = new TransportSecurityOptions { CaFile = certificates.Ca };
        error = await Assert.ThrowsAsync<ArgumentException>(() => DaemonHost.StartAsync(options, services: WithApi));
        Assert.Contains("Orchestrator:Tls", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The HTTP API reads job documents with the SDK's loader, which the host (the CLI) registers.</summary>
    internal static void WithApi(IServiceCollection services) => services.AddSingleton(new JobSpecFormat(JobSpecLoader.Parse, JobIds.New));

    internal static (OrchestratorSiloOptions Options, TestCertificates Certificates) Daemon(string purpose, bool mutual, ClusterMode mode = ClusterMode.Embedded, string? redis = null)
    {
        var data = TestJobs.TemporaryDirectory(purpose);
        var certificates = TestCertificates.Create(data);
        var options = DaemonHost.Options(data, mode, redis);
        options.Backend = "simulated";
        options.Api.Port = FreePorts.Next();
        options.MetricsPort = FreePorts.Next();
        options.Tls = new TransportSecurityOptions
        {
            CertificateFile = certificates.Silo.Certificate,
            KeyFile = certificates.Silo.Key,
            CaFile = certificates.Ca,
            RequireClientCertificate = mutual,
        };
        return (options, certificates);
    }

    internal static Task<OrchestratorClient> Connect(OrchestratorSiloOptions options, ClientTlsOptions? tls, TimeSpan? timeout) =>
        OrchestratorClient.ConnectAsync(new OrchestratorClientOptions
        {
            Gateways = [$"127.0.0.1:{options.GatewayPort}"],
            ClusterId = options.ClusterId,
            ServiceId = options.ServiceId,
            Tls = tls,
            ConnectTimeout = timeout,
        });
}
