namespace Orchestrator.Contracts.Jobs;

/// <summary>The devices a job asks for.</summary>
/// <param name="Gpus">Devices wanted.</param>
/// <param name="GpuType">Device type from the hardware catalog (e.g. <c>h100-80gb</c>), or <c>cpu</c> for local CPU devices; null accepts any.</param>
/// <param name="MinGpus">Fewest devices the job may shrink to on recovery; equal to <see cref="Gpus"/> when not given.</param>
/// <param name="GpuFraction">A share of one device (0 &lt; f &lt; 1, in thousandths, only with <c>gpus: 1</c>) for small
/// work packed onto shared devices; null for whole devices.</param>
[GenerateSerializer, Immutable]
public sealed record ResourcesSpec(
    [property: Id(0)] int Gpus,
    [property: Id(1)] string? GpuType = null,
    [property: Id(2)] int? MinGpus = null,
    [property: Id(3)] double? GpuFraction = null)
{
    /// <summary>The minimum actually in force.</summary>
    public int EffectiveMinGpus => MinGpus ?? Gpus;

    /// <summary>The share of one device in thousandths (1000 is a whole device), or null for whole devices.</summary>
    public int? GpuMilli => GpuFraction is { } fraction ? (int)Math.Round(fraction * GpuShareRules.Milli) : null;
}
