namespace Orchestrator.Planning.Topology;

/// <summary>One accelerator of the cluster (a CPU stand-in in the local inventory).</summary>
/// <param name="Node">Name of the node that hosts the device.</param>
/// <param name="Index">Position of the device on its node, from 0 (the CUDA device ordinal).</param>
/// <param name="GpuType">Catalog name of the device model, e.g. <c>h100-80gb</c>.</param>
public sealed record GpuDevice(string Node, int Index, string GpuType)
{
    /// <summary>The device's cluster-wide id, <c>"node/index"</c>; also the key of its GpuGrain.</summary>
    public string Id => FormatId(Node, Index);

    /// <summary>Builds the id of device <paramref name="index"/> on <paramref name="node"/>.</summary>
    public static string FormatId(string node, int index) => $"{node}/{index}";

    /// <inheritdoc />
    public override string ToString() => Id;
}
