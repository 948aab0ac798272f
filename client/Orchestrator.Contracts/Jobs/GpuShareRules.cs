namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// The rules for <c>resources.gpuFraction</c>, shared by training and evaluation documents: a share of exactly one
/// device, strictly between nothing and all of it, in thousandths (the unit the scheduler packs in, so that shares on
/// one device add up exactly).
/// </summary>
public static class GpuShareRules
{
    /// <summary>Thousandths in one device.</summary>
    public const int Milli = 1000;

    /// <summary>Reports every rule <paramref name="resources"/> breaks through <paramref name="fail"/> (field path, message).</summary>
    public static void Check(ResourcesSpec resources, Action<string, string> fail)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(fail);
        if (resources.GpuFraction is not { } fraction) return;
        const string path = "spec.resources.gpuFraction";
        if (!(fraction > 0 && fraction < 1))
            fail(path, $"must be greater than 0 and less than 1 (a share of one GPU; leave it out for whole GPUs), got {fraction}");
        else if (Math.Abs(fraction * Milli - Math.Round(fraction * Milli)) > 1e-6)
            fail(path, $"must be in steps of 0.001, got {fraction}");
        if (resources.Gpus != 1)
            fail(path, $"shares a single GPU: it needs resources.gpus 1, got {resources.Gpus}");
    }
}
