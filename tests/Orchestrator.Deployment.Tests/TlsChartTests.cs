using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deployment.Tests;

/// <summary>The chart's TLS values: a Secret mounted into the silos, TLS on once it is named, health left plain.</summary>
public sealed class TlsChartTests
{
    [Fact]
    public async Task Naming_a_secret_turns_TLS_on_with_its_files_mounted_read_only_and_workers_and_the_helm_test_told()
    {
        var rendered = await Chart.RenderAsync([Path.Combine(Chart.Directory, "ci", "tls-values.yaml")]);
        var silo = Chart.Single(rendered, "StatefulSet", "-silo");
        var env = Chart.Env(silo);
        Assert.Equal("/etc/orchestrator/tls/tls.crt", Chart.Text(env["Orchestrator__Tls__CertificateFile"], "value"));
        Assert.Equal("/etc/orchestrator/tls/tls.key", Chart.Text(env["Orchestrator__Tls__KeyFile"], "value"));
        Assert.Equal("/etc/orchestrator/tls/ca.crt", Chart.Text(env["Orchestrator__Tls__CaFile"], "value"));
        Assert.Equal("true", Chart.Text(env["Orchestrator__Tls__RequireClientCertificate"], "value"));
        Assert.Equal("orchestrator-silos.orchestrator.svc", Chart.Text(env["Orchestrator__Tls__SiloPeerName"], "value"));
        Assert.Equal("/etc/orchestrator/tls/ca.crl", Chart.Text(env["Orchestrator__Tls__CrlFile"], "value"));
        Assert.Equal("orchestrator-worker-tls", Chart.Text(env["Orchestrator__Kubernetes__WorkerTlsSecretName"], "value"));
        Assert.Equal("true", Chart.Text(env["Orchestrator__Kubernetes__WorkerTlsClientCertificate"], "value"));

        var pod = Chart.Node(silo, "spec", "template", "spec")!;
        var volume = Assert.Single(Items(pod, "volumes"), v => Chart.Text(v, "name") == "tls");
        Assert.Equal("orchestrator-tls", Chart.Text(volume, "secret", "secretName"));
        var container = Items(pod, "containers")[0];
        var mount = Assert.Single(Items(container, "volumeMounts"), m => Chart.Text(m, "name") == "tls");
        Assert.Equal("/etc/orchestrator/tls", Chart.Text(mount, "mountPath"));
        Assert.Equal("true", Chart.Text(mount, "readOnly"));
        // Probes and /metrics stay plain HTTP on their own port.
        Assert.Equal("http", Chart.Text(container, "readinessProbe", "httpGet", "port"));
        Assert.Null(Chart.Text(container, "readinessProbe", "httpGet", "scheme"));

        var test = Chart.Single(rendered, "Pod", "-test-cluster");
        var args = ((YamlSequenceNode)Chart.Node(Items(Chart.Node(test, "spec")!, "containers")[0], "args")!).Children.Select(a => ((YamlScalarNode)a).Value).ToList();
        Assert.Equal("/etc/orchestrator/tls/ca.crt", args[args.IndexOf("--tls-ca") + 1]);
        Assert.Equal("/etc/orchestrator/tls/tls.crt", args[args.IndexOf("--tls-cert") + 1]);
    }

    [Fact]
    public async Task Without_a_secret_TLS_is_off_and_mutual_TLS_alone_is_refused_by_name()
    {
        var rendered = await Chart.RenderAsync(null, "tls.workerSecretName=ignored");
        Assert.DoesNotContain("Orchestrator__Tls__", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("WorkerTlsSecretName", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("--tls-ca", rendered, StringComparison.Ordinal);

        var defaultWorkers = Chart.Env(Chart.Single(await Chart.RenderAsync(null, "tls.secretName=orch-tls"), "StatefulSet", "-silo"));
        Assert.Equal("orch-tls", Chart.Text(defaultWorkers["Orchestrator__Kubernetes__WorkerTlsSecretName"], "value"));
        Assert.Equal("false", Chart.Text(defaultWorkers["Orchestrator__Tls__RequireClientCertificate"], "value"));
        Assert.False(defaultWorkers.ContainsKey("Orchestrator__Tls__SiloPeerName"));
        Assert.False(defaultWorkers.ContainsKey("Orchestrator__Tls__CrlFile"));

        var (exit, _, error) = await Chart.TemplateAsync(null, "tls.requireClientCertificate=true");
        Assert.NotEqual(0, exit);
        Assert.Contains("/tls/secretName", error, StringComparison.Ordinal);

        (exit, _, error) = await Chart.TemplateAsync(null, "tls.secretName=orch-tls", "tls.siloPeerName=silos.example/../x");
        Assert.NotEqual(0, exit);
        Assert.Contains("/tls/siloPeerName", error, StringComparison.Ordinal);
    }

    private static List<YamlMappingNode> Items(YamlNode node, string key) =>
        ((YamlSequenceNode)Chart.Node(node, key)!).Children.Cast<YamlMappingNode>().ToList();
}
