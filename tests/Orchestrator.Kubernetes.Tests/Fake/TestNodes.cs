using k8s.Models;

namespace Orchestrator.Kubernetes.Tests.Fake;

/// <summary>Nodes as a GPU cluster's API server describes them (GPU feature discovery labels, allocatable GPUs).</summary>
internal static class TestNodes
{
    public const string H100 = "NVIDIA-H100-80GB-HBM3";

    public static V1Node Gpu(string name, int gpus = 8, string? product = H100, string block = "b0", string rack = "r0") => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string>
            {
                ["kubernetes.io/hostname"] = name,
                ["cloud.provider.com/topology-block"] = block,
                ["cloud.provider.com/topology-rack"] = rack,
            }.Concat(product is null ? [] : [KeyValuePair.Create("nvidia.com/gpu.product", product)]).ToDictionary(),
        },
        Spec = new V1NodeSpec(),
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture)), ["cpu"] = new("96") },
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    };

    public static void MarkNotReady(V1Node node) => node.Status.Conditions = [new V1NodeCondition { Type = "Ready", Status = "Unknown", Reason = "NodeStatusUnknown" }];
}
