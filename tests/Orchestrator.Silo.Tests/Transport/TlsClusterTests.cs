using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orchestrator.Client;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Tests.Integration;
using Orchestrator.Silo.Transport;

namespace Orchestrator.Silo.Tests.Transport;

/// <summary>TLS between silos of a Redis-mode cluster, and the workers a TLS silo launches.</summary>
public sealed class TlsClusterTests
{
    [Fact]
    public async Task A_silo_whose_certificate_comes_from_another_CA_cannot_join_while_one_from_the_CA_can()
    {
        await using var redis = await RedisServer.StartAsync();
        var (first, certificates) = TransportSecurityTests.Daemon("tls-join", mutual: false, ClusterMode.Redis, redis.ConnectionString);
        using var siloA = await DaemonHost.StartAsync(first, services: TransportSecurityTests.WithApi);
        await using var client = await TransportSecurityTests.Connect(first, new ClientTlsOptions { CaFile = certificates.Ca }, null);
        var intruder = Sibling(first);
        intruder.Tls = new TransportSecurityOptions
        {
            CertificateFile = certificates.ForeignSilo.Certificate,
            KeyFile = certificates.ForeignSilo.Key,
            CaFile = certificates.ForeignCa,
        };
        await Assert.ThrowsAnyAsync<Exception>(() => DaemonHost.StartAsync(intruder, services: Impatient));
        Assert.Equal(1, await ActiveSilosAsync(client, 1));

        using var siloB = await DaemonHost.StartAsync(Sibling(first), services: Impatient);
        Assert.Equal(2, await ActiveSilosAsync(client, 2));
    }

    [Fact]
    public async Task With_a_silo_peer_name_a_certificate_from_the_CA_that_lacks_it_cannot_join_while_one_holding_it_can()
    {
        await using var redis = await RedisServer.StartAsync();
        var (first, certificates) = TransportSecurityTests.Daemon("tls-peer-name", mutual: false, ClusterMode.Redis, redis.ConnectionString);
        // The test silo certificate names localhost and 127.0.0.1; the misnamed one, from the same CA and allowing server
        // and client use, names orchestrator.example and 10.0.0.7: without the name check it joins (the test above).
        first.Tls.SiloPeerName = "localhost";
        using var siloA = await DaemonHost.StartAsync(first, services: TransportSecurityTests.WithApi);
        await using var client = await TransportSecurityTests.Connect(first, new ClientTlsOptions { CaFile = certificates.Ca }, null);

        var intruder = Sibling(first);
        intruder.Tls = new TransportSecurityOptions { CertificateFile = certificates.Misnamed.Certificate, KeyFile = certificates.Misnamed.Key, CaFile = certificates.Ca };
        await Assert.ThrowsAnyAsync<Exception>(() => DaemonHost.StartAsync(intruder, services: Impatient));
        Assert.Equal(1, await ActiveSilosAsync(client, 1));

        using var siloB = await DaemonHost.StartAsync(Sibling(first), services: Impatient);
        Assert.Equal(2, await ActiveSilosAsync(client, 2));

        // A silo configured with the name but holding a certificate without it is refused at start, naming the setting.
        intruder.Tls.SiloPeerName = "localhost";
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => DaemonHost.StartAsync(intruder, services: Impatient));
        Assert.Contains("Orchestrator:Tls:SiloPeerName", refused.Message, StringComparison.Ordinal);
        Assert.Contains("orchestrator.example", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_mutual_TLS_the_workers_a_silo_launches_connect_back_and_finish_their_job()
    {
        var (options, certificates) = TransportSecurityTests.Daemon("tls-workers", mutual: true);
        options.Backend = "local";
        using var host = await DaemonHost.StartAsync(options, services: TransportSecurityTests.WithApi);
        var own = new ClientTlsOptions { CaFile = certificates.Ca, CertificateFile = certificates.Client.Certificate, KeyFile = certificates.Client.Key };
        await using var client = await TransportSecurityTests.Connect(options, own, null);

        var job = await client.SubmitAsync(TestJobs.Tiny("tls-worker", steps: 3));
        var done = await JobWaits.UntilStateAsync(client.Grains, job.Id, JobState.Succeeded, TimeSpan.FromMinutes(3));
        Assert.Equal(3, done.Progress?.Step);
    }

    /// <summary>The active silos, once there are <paramref name="expected"/> or after a while (a new member takes a moment to be seen).</summary>
    private static async Task<int> ActiveSilosAsync(OrchestratorClient client, int expected)
    {
        var management = client.Grains.GetGrain<IManagementGrain>(0);
        var active = 0;
        for (var i = 0; i < 60 && active != expected; i++)
        {
            if (i > 0) await Task.Delay(500);
            active = (await management.GetHosts(onlyActive: true)).Count;
        }

        return active;
    }

    // Orleans keeps trying to reach the cluster for five minutes by default before giving up on joining.
    private static void Impatient(IServiceCollection services)
    {
        TransportSecurityTests.WithApi(services);
        services.Configure<ClusterMembershipOptions>(o => o.MaxJoinAttemptTime = TimeSpan.FromSeconds(15));
    }

    private static OrchestratorSiloOptions Sibling(OrchestratorSiloOptions first)
    {
        var sibling = DaemonHost.Options(first.DataDirectory, ClusterMode.Redis, first.RedisConnection);
        sibling.ClusterId = first.ClusterId;
        sibling.Backend = first.Backend;
        sibling.Tls = first.Tls;
        return sibling;
    }
}
