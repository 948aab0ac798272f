using Orchestrator.Planning.Layout;

namespace Orchestrator.Planning.Placement;

/// <summary>What a job asks the placer for: every rank of its layout at once.</summary>
/// <param name="Layout">The parallel layout; its world size is the number of devices needed.</param>
/// <param name="GpuType">The catalog GPU type the job must run on; null lets the placer pick one type (a gang never mixes types).</param>
/// <param name="AvoidDeviceIds">
/// Device ids not to use even when free (suspect devices, the devices a failed attempt ran on). Ids the cluster does
/// not know are ignored: a remembered device may have left the inventory since.
/// </param>
public sealed record GangRequest(ParallelLayout Layout, string? GpuType = null, IReadOnlyCollection<string>? AvoidDeviceIds = null);
