namespace Orchestrator.Deployment.Tests;

/// <summary>The chart's security values: the auth file from a Secret, data roots, priority caps and the HTTP API.</summary>
public sealed class SecurityChartTests
{
    [Fact]
    public async Task An_auth_secret_is_mounted_read_only_and_named_to_the_silo_with_the_policy_and_the_api()
    {
        var rendered = await Chart.RenderAsync(null, "security.auth.existingSecret=orch-auth", "security.dataRoots[0]=/datasets",
            "security.queueMaxPriority.research=100", "api.enabled=true", "api.port=8088");
        var silo = Chart.Single(rendered, "StatefulSet", "-silo");
        var container = Chart.Node(silo, "spec", "template", "spec", "containers") as YamlDotNet.RepresentationModel.YamlSequenceNode;
        var text = new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(silo);
        Assert.NotNull(container);
        Assert.Contains("Orchestrator__Security__AuthFile", text, StringComparison.Ordinal);
        Assert.Contains("/etc/orchestrator/auth/auth.json", rendered, StringComparison.Ordinal);
        Assert.Contains("secretName: orch-auth", rendered, StringComparison.Ordinal);
        Assert.Contains("Orchestrator__Security__DataRoots__0", rendered, StringComparison.Ordinal);
        Assert.Contains("Orchestrator__Security__Queues__research__MaxPriority", rendered, StringComparison.Ordinal);
        Assert.Contains("Orchestrator__Api__Port", rendered, StringComparison.Ordinal);
        var gateway = Chart.Single(rendered, "Service", "-gateway");
        Assert.Contains("8088", new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(gateway), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_secret_there_is_no_auth_mount_and_bad_security_values_are_refused_by_name()
    {
        var rendered = await Chart.RenderAsync();
        Assert.DoesNotContain("Orchestrator__Security__AuthFile", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("Orchestrator__Api__Port", rendered, StringComparison.Ordinal);
        var (exit, _, error) = await Chart.TemplateAsync(null, "security.dataRoots[0]=relative/path");
        Assert.NotEqual(0, exit);
        Assert.Contains("/security/dataRoots/0", error, StringComparison.Ordinal);
        (exit, _, error) = await Chart.TemplateAsync(null, "api.port=0");
        Assert.NotEqual(0, exit);
        Assert.Contains("/api/port", error, StringComparison.Ordinal);
    }
}
