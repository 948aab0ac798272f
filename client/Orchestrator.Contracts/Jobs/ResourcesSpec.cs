namespace Orchestrator.Contracts.Jobs;

/// <summary>The devices a job asks for.</summary>
/// <param name="Gpus">Devices wanted.</param>
/// <param name="GpuType">Device type from the hardware catalog (e.g. <c>h100-80gb</c>), or <c>cpu</c> for local CPU devices; null accepts any.</param>
/// <param name="MinGpus">Fewest devices the job may shrink to on recovery; equal to <see cref="Gpus"/> when not given.</param>
[GenerateSerializer, Immutable]
public sealed record ResourcesSpec(
    [property: Id(0)] int Gpus,
    [property: Id(1)] string? GpuType = null,
    [property: Id(2)] int? MinGpus = null)
{
    /// <summary>The minimum actually in force.</summary>
    public int EffectiveMinGpus => MinGpus ?? Gpus;
}
