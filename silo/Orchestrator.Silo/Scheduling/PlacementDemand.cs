using Orchestrator.Planning.Layout;

namespace Orchestrator.Silo.Scheduling;

/// <summary>What placement is asked to find: one device per rank of <paramref name="Layout"/>.</summary>
/// <param name="Layout">The parallel layout; its world size is the number of devices.</param>
/// <param name="GpuType">Catalog name of the device type required, or null for any.</param>
/// <param name="AvoidDevices">Devices that must not be used (for example where this job's attempts failed).</param>
internal sealed record PlacementDemand(ParallelLayout Layout, string? GpuType, IReadOnlySet<string> AvoidDevices);
