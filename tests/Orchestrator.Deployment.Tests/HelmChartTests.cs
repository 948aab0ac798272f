using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deployment.Tests;

/// <summary>
/// The chart lints strictly, renders for every values file under helm-chart/ci/ into objects the Kubernetes and
/// Prometheus Operator schemas accept, and its values.schema.json refuses bad values by name.
/// </summary>
public sealed partial class HelmChartTests
{
    public static TheoryData<string> CiValues()
    {
        var data = new TheoryData<string>();
        foreach (var file in Chart.CiValueFiles) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public async Task Helm_lint_strict_passes()
    {
        var (exit, output, error) = await Tools.RunAsync(Tools.Helm, ["lint", "--strict", Chart.Directory]);
        Assert.True(exit == 0, output + error);
        Assert.Contains("0 chart(s) failed", output);
    }

    [Fact]
    public void The_ci_values_cover_defaults_external_redis_monitoring_three_silos_and_tls() =>
        Assert.Equal(["defaults-values.yaml", "external-redis-values.yaml", "monitoring-values.yaml", "three-silos-values.yaml", "tls-values.yaml"],
            Chart.CiValueFiles.Select(Path.GetFileName));

    [Theory]
    [MemberData(nameof(CiValues))]
    public async Task Every_rendered_object_passes_the_kubernetes_and_prometheus_operator_schemas(string values)
    {
        var rendered = await Chart.RenderAsync([Path.Combine(Chart.Directory, "ci", values)]);
        var script = Path.Combine(AppContext.BaseDirectory, "validate-objects.mjs");
        var (exit, output, error) = await Tools.RunAsync(Tools.Node, [script, Tools.K8sModels], rendered);
        Assert.True(exit == 0, $"{output}\n{error}");
        var validated = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Chart.Objects(rendered).Count, validated.Length);
        Assert.All(validated, line => Assert.StartsWith("ok ", line));
        Assert.Contains("ok StatefulSet orch-orchestrator-silo", validated);
    }

    [Fact]
    public async Task Each_ci_values_file_renders_what_it_is_for()
    {
        string Ci(string name) => Path.Combine(Chart.Directory, "ci", name);
        var defaults = await Chart.RenderAsync([Ci("defaults-values.yaml")]);
        Assert.Equal("2", Chart.Text(Chart.Single(defaults, "StatefulSet", "-silo"), "spec", "replicas"));
        Chart.Single(defaults, "StatefulSet", "-redis");
        Assert.DoesNotContain(Chart.Objects(defaults), o => Chart.Text(o, "kind") is "ServiceMonitor" or "PrometheusRule" or "NetworkPolicy");
        Assert.Equal(5, Chart.Objects(defaults).Count(o => Chart.Text(o, "metadata", "labels", "grafana_dashboard") == "1"));

        var external = await Chart.RenderAsync([Ci("external-redis-values.yaml")]);
        Assert.DoesNotContain(Chart.Objects(external), o => Chart.Text(o, "metadata", "name")!.EndsWith("-redis", StringComparison.Ordinal));
        Assert.DoesNotContain(Chart.Objects(external), o => Chart.Text(o, "kind") == "PersistentVolumeClaim");
        var silo = Chart.Single(external, "StatefulSet", "-silo");
        var redisEnv = Chart.Env(silo)["Orchestrator__RedisConnection"];
        Assert.Equal("orchestrator-redis", Chart.Text(redisEnv, "valueFrom", "secretKeyRef", "name"));
        Assert.Equal("training-checkpoints", Chart.Text(Chart.Env(silo)["Orchestrator__Kubernetes__CheckpointClaimName"], "value"));

        var monitoring = await Chart.RenderAsync([Ci("monitoring-values.yaml")]);
        Chart.Single(monitoring, "ServiceMonitor", "-orchestrator");
        Chart.Single(monitoring, "PrometheusRule", "-orchestrator");
        Assert.Equal(2, Chart.Objects(monitoring).Count(o => Chart.Text(o, "kind") == "NetworkPolicy"));

        var three = await Chart.RenderAsync([Ci("three-silos-values.yaml")]);
        var silos = Chart.Single(three, "StatefulSet", "-silo");
        Assert.Equal("3", Chart.Text(silos, "spec", "replicas"));
        Assert.Equal("3", Chart.Text(Chart.Env(silos)["Orchestrator__ExpectedSilos"], "value"));
        Assert.NotNull(Chart.Node(silos, "spec", "template", "spec", "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution"));
        Assert.Equal("training", Chart.Text(Chart.Single(three, "Role", "-jobs"), "metadata", "namespace"));
        Assert.Contains("\"PassInterval\": \"00:00:02\"", Chart.Text(Chart.Single(three, "ConfigMap", "-config"), "data", "orchestrator.json"));
    }

    [Fact]
    public async Task The_silo_runs_orch_up_with_the_agreed_flags_configuration_and_probes()
    {
        var silo = Chart.Single(await Chart.RenderAsync(), "StatefulSet", "-silo");
        var container = (YamlMappingNode)((YamlSequenceNode)Chart.Node(silo, "spec", "template", "spec", "containers")!).Children[0];
        var args = ((YamlSequenceNode)Chart.Node(container, "args")!).Children.Select(a => ((YamlScalarNode)a).Value).ToList();
        Assert.Equal(["up", "--mode", "redis", "--backend", "kubernetes", "--namespace", Chart.Namespace, "--config", "/etc/orchestrator/orchestrator.json"], args);
        var env = Chart.Env(silo);
        foreach (var key in new[] { "Namespace", "WorkerImage", "ImagePullPolicy", "CheckpointClaimName", "CheckpointMountPath", "TerminationGracePeriodSeconds",
                     "StartTimeoutSeconds", "LabelKeys__Block", "LabelKeys__Rack", "LabelKeys__Host", "LabelKeys__NvlinkDomain", "LabelKeys__GpuProduct" })
            Assert.True(env.ContainsKey($"Orchestrator__Kubernetes__{key}"), $"Orchestrator__Kubernetes__{key} is not set");
        Assert.Equal("h100-80gb", Chart.Text(env["Orchestrator__Kubernetes__GpuProducts__NVIDIA-H100-80GB-HBM3"], "value"));
        Assert.Equal("nvidia.com/gpu.clique", Chart.Text(env["Orchestrator__Kubernetes__LabelKeys__NvlinkDomain"], "value"));
        Assert.Equal("nvidia.com/gpu.shared", Chart.Text(env["Orchestrator__Kubernetes__GpuSharing__Resource"], "value"));
        Assert.Equal("Mps", Chart.Text(env["Orchestrator__Kubernetes__GpuSharing__Strategy"], "value"));
        Assert.Equal("/readyz", Chart.Text(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", Chart.Text(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("true", Chart.Text(silo, "spec", "template", "spec", "securityContext", "runAsNonRoot"));
    }

    [Fact]
    public async Task Rbac_grants_exactly_what_the_kubernetes_backend_needs()
    {
        var rendered = await Chart.RenderAsync();
        Assert.Equal(["|nodes|get,list,watch"], Rules(Chart.Single(rendered, "ClusterRole", "-nodes")));
        Assert.Equal(["|pods,services|create,delete,deletecollection,get,list,watch,patch", "|pods/log|get"], Rules(Chart.Single(rendered, "Role", "-jobs")));
        Assert.Equal(2, Chart.Objects(rendered).Count(o => Chart.Text(o, "kind") is "ClusterRoleBinding" or "RoleBinding"));
    }

    [Theory]
    [InlineData("silo.replicas=-1", "at '/silo/replicas': minimum: got -1, want 1")]
    [InlineData("backend=slurm", "at '/backend': value must be one of 'kubernetes', 'local', 'simulated'")]
    [InlineData("redis.enabled=false", "at '/redis/external/existingSecret'")]
    [InlineData("silo.replica=3", "additional properties 'replica' not allowed")]
    [InlineData("checkpoints.create.size=lots", "at '/checkpoints/create/size'")]
    public async Task The_values_schema_refuses_bad_values_by_name(string set, string message)
    {
        var (exit, _, error) = await Chart.TemplateAsync(null, set);
        Assert.NotEqual(0, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task Job_pods_in_another_namespace_need_an_existing_checkpoint_claim()
    {
        var (exit, _, error) = await Chart.TemplateAsync(null, "jobs.namespace=training");
        Assert.NotEqual(0, exit);
        Assert.Contains("checkpoints.existingClaim: job pods in another namespace", error);
    }

    [Fact]
    public async Task Notes_tell_how_to_reach_the_gateway_and_submit_a_job()
    {
        var (exit, output, error) = await Tools.RunAsync(Tools.Helm, ["install", Chart.Release, Chart.Directory, "--namespace", Chart.Namespace, "--dry-run=client"]);
        Assert.True(exit == 0, error);
        var notes = output[output.IndexOf("NOTES:", StringComparison.Ordinal)..];
        Assert.Contains("kubectl -n orchestrator port-forward svc/orch-orchestrator-gateway 30000:30000", notes);
        Assert.Contains("orch submit JOB.yaml --gateway 127.0.0.1:30000", notes);
        Assert.Contains("a100-80gb or h100-80gb", notes);
        Assert.Contains("helm test orch -n orchestrator", notes);
    }

    [Fact]
    public void Every_value_has_a_comment_above_it()
    {
        var uncommented = new List<string>();
        var previous = "";
        foreach (var (line, number) in File.ReadAllLines(Path.Combine(Chart.Directory, "values.yaml")).Select((l, i) => (l, i + 1)))
        {
            if (ValueKey().IsMatch(line) && !previous.TrimStart().StartsWith('#')) uncommented.Add($"{number}: {line.Trim()}");
            if (line.Trim().Length > 0) previous = line;
        }

        Assert.True(uncommented.Count == 0, "values without a comment above them:\n" + string.Join("\n", uncommented));
    }

    [GeneratedRegex(@"^\s*[A-Za-z0-9_.\-/]+:")]
    private static partial Regex ValueKey();

    private static List<string> Rules(YamlMappingNode role) =>
        ((YamlSequenceNode)Chart.Node(role, "rules")!).Children.Select(rule =>
        {
            string Join(string key) => string.Join(",", ((YamlSequenceNode)Chart.Node(rule, key)!).Children.Select(c => ((YamlScalarNode)c).Value));
            return $"{Join("apiGroups")}|{Join("resources")}|{Join("verbs")}";
        }).ToList();
}
