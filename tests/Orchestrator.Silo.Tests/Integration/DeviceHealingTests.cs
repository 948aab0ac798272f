using Orchestrator.Contracts.Cluster;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>
/// Device health heals by itself: a suspect device is trusted again when its quiet period has passed (a persistent
/// reminder, not a passing call, makes that happen), and operators cordon and uncordon devices.
/// </summary>
public sealed class DeviceHealingTests
{
    [Fact]
    public async Task A_suspect_device_heals_after_its_quiet_period_and_operators_cordon_and_uncordon_devices()
    {
        var options = DaemonHost.Options(TestJobs.TemporaryDirectory("healing"));
        using var host = await DaemonHost.StartAsync(options, settings: new Dictionary<string, string?>
        {
            ["Orchestrator:DeviceHealth:QuietPeriod"] = "00:00:03",
            ["Orchestrator:DeviceHealth:SuspectAfterFaults"] = "2",
        });
        await using var client = await DaemonHost.ConnectAsync(options);
        var suspect = client.Grains.GetGrain<IGpuGrain>("local/0");
        await suspect.ReportFaultAsync("drill", 1, "an injected fault");
        await suspect.ReportFaultAsync("drill", 1, "an injected fault");
        Assert.Equal(GpuHealth.Suspect, await HealthAsync(client, "local/0"));

        // Nothing calls the device again: only its reminder can bring it back.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (await HealthAsync(client, "local/0") != GpuHealth.Healthy && DateTime.UtcNow < deadline) await Task.Delay(250);
        Assert.Equal(GpuHealth.Healthy, await HealthAsync(client, "local/0"));

        Assert.Equal(GpuHealth.Draining, (await client.SetCordonAsync("local/1", cordon: true)).Health);
        Assert.Equal(GpuHealth.Healthy, (await client.SetCordonAsync("local/1", cordon: false)).Health);

        var failed = client.Grains.GetGrain<IGpuGrain>("local/1");
        for (var i = 0; i < 4; i++) await failed.ReportFaultAsync("drill", i + 1, "an injected fault");
        Assert.Equal(GpuHealth.Failed, await HealthAsync(client, "local/1"));
        Assert.Equal(GpuHealth.Healthy, (await client.SetCordonAsync("local/1", cordon: false)).Health);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.SetCordonAsync("nowhere/7", cordon: true));
        Assert.Contains("--cordon: device 'nowhere/7' is not in the cluster", error.Message);
        await host.StopAsync();
    }

    private static async Task<GpuHealth> HealthAsync(Client.OrchestratorClient client, string device) =>
        (await client.GetClusterAsync()).Nodes.SelectMany(n => n.Gpus).Single(g => g.Id == device).Health;
}
