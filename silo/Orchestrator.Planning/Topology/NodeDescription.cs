namespace Orchestrator.Planning.Topology;

/// <summary>One host of the cluster and where it sits in the hierarchy.</summary>
/// <param name="Name">Host name, unique in the cluster (the Kubernetes node name). Must not contain '/'.</param>
/// <param name="Block">Name of the block (spine) the node's rack hangs under.</param>
/// <param name="Rack">Name of the rack (leaf switch); unique within its block.</param>
/// <param name="NvlinkDomain">
/// Id of the NVLink domain the node's devices belong to, unique in the cluster. Usually the node's own name; every
/// node of a GB200 NVL72-like rack shares one id. All nodes of one domain sit in one rack and have one GPU type.
/// </param>
/// <param name="GpuType">Catalog name of the node's devices (see <see cref="Hardware.HardwareCatalog"/>).</param>
/// <param name="GpuCount">Devices on the node, at least 1.</param>
public sealed record NodeDescription(string Name, string Block, string Rack, string NvlinkDomain, string GpuType, int GpuCount);
