using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deployment.Tests;

/// <summary>Renders helm-chart/ with the real helm binary and reads what it rendered.</summary>
internal static class Chart
{
    public const string Release = "orch";
    public const string Namespace = "orchestrator";

    public static string Directory => Tools.Repository("helm-chart");

    public static IEnumerable<string> CiValueFiles => System.IO.Directory.GetFiles(Path.Combine(Directory, "ci"), "*-values.yaml").Order(StringComparer.Ordinal);

    /// <summary>helm template with these values files and --set pairs; fails the test when helm refuses.</summary>
    public static async Task<string> RenderAsync(IEnumerable<string>? valueFiles = null, params string[] sets)
    {
        var (exit, output, error) = await TemplateAsync(valueFiles, sets);
        Assert.True(exit == 0, $"helm template failed:\n{error}");
        return output;
    }

    public static Task<(int Exit, string Out, string Error)> TemplateAsync(IEnumerable<string>? valueFiles, params string[] sets)
    {
        var arguments = new List<string> { "template", Release, Directory, "--namespace", Namespace };
        foreach (var file in valueFiles ?? []) arguments.AddRange(["--values", file]);
        foreach (var set in sets) arguments.AddRange(["--set", set]);
        return Tools.RunAsync(Tools.Helm, arguments);
    }

    /// <summary>Every rendered object.</summary>
    public static IReadOnlyList<YamlMappingNode> Objects(string rendered)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(rendered));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static YamlMappingNode Single(string rendered, string kind, string nameSuffix) =>
        Assert.Single(Objects(rendered), o => Text(o, "kind") == kind && Text(o, "metadata", "name")!.EndsWith(nameSuffix, StringComparison.Ordinal));

    /// <summary>The scalar at a path of mapping keys, or null.</summary>
    /// <summary>The environment variables of a workload's first container, by name.</summary>
    public static Dictionary<string, YamlMappingNode> Env(YamlMappingNode workload)
    {
        var containers = (YamlSequenceNode)Node(workload, "spec", "template", "spec", "containers")!;
        var env = (YamlSequenceNode)Node(containers.Children[0], "env")!;
        return env.Children.Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name")!);
    }

    public static string? Text(YamlNode node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;

    public static YamlNode? Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child)) return null;
            node = child;
        }

        return node;
    }

    /// <summary>The alert rules as a Prometheus rule file: the spec of the PrometheusRule the chart renders.</summary>
    public static async Task<string> AlertRuleFileAsync(params string[] sets)
    {
        var rendered = await RenderAsync([Path.Combine(Directory, "ci", "monitoring-values.yaml")], sets);
        var spec = Node(Single(rendered, "PrometheusRule", Release + "-orchestrator"), "spec")!;
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(spec)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
