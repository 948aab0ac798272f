using Orchestrator.Planning.Layout;

namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// The devices a job asks for: either a fixed layout (<see cref="Fixed"/>) or, for <c>parallelism: auto</c>, a range of
/// device counts and the planner's <see cref="LayoutChooser"/> that turns an offered count into a layout
/// (<see cref="Auto"/>).
/// </summary>
internal sealed class JobDemand
{
    private JobDemand(ParallelLayout? layout, int minDevices, int maxDevices, LayoutChooser? chooser, string? gpuType, int? gpuMilli = null)
    {
        GpuMilli = gpuMilli;
        Layout = layout;
        MinDevices = minDevices;
        MaxDevices = maxDevices;
        Chooser = chooser;
        GpuType = gpuType;
    }

    /// <summary>The fixed layout, or null for an automatic one.</summary>
    public ParallelLayout? Layout { get; }

    /// <summary>Fewest devices the job may run on (the world size for a fixed layout).</summary>
    public int MinDevices { get; }

    /// <summary>Most devices the job asks for (the world size for a fixed layout).</summary>
    public int MaxDevices { get; }

    /// <summary>The planner's layout choice for an automatic job; null for a fixed one.</summary>
    public LayoutChooser? Chooser { get; }

    /// <summary>Required device type (catalog name) or null for any.</summary>
    public string? GpuType { get; }

    public bool IsAutomatic => Chooser is not null;

    /// <summary>For a share of one device (<c>resources.gpuFraction</c>), its thousandths; null for whole devices.</summary>
    public int? GpuMilli { get; }

    /// <summary>Thousandths of devices the smallest start of this demand charges its queue.</summary>
    public long MinMilli => GpuMilli ?? (long)MinDevices * Contracts.Jobs.GpuShareRules.Milli;

    public static JobDemand Fixed(ParallelLayout layout, string? gpuType = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(layout));
        }

        return new JobDemand(layout, layout.WorldSize, layout.WorldSize, null, NormalizeGpuType(gpuType));
    }

    /// <summary>A share of one device, packed onto a shared device by <see cref="Sharing.SharedDevices"/>.</summary>
    public static JobDemand Shared(int gpuMilli, string? gpuType = null)
    {
        if (gpuMilli is <= 0 or >= Contracts.Jobs.GpuShareRules.Milli)
            throw new ArgumentOutOfRangeException(nameof(gpuMilli), gpuMilli, "resources.gpuFraction must be between 0.001 and 0.999");
        return new JobDemand(new ParallelLayout(1, 1, 1), 1, 1, null, NormalizeGpuType(gpuType), gpuMilli);
    }

    public static JobDemand Auto(int minDevices, int maxDevices, LayoutChooser chooser, string? gpuType = null)
    {
        ArgumentNullException.ThrowIfNull(chooser);
        if (minDevices < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minDevices), minDevices, "resources.minGpus must be at least 1");
        }

        if (maxDevices < minDevices)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDevices), maxDevices,
                $"resources.gpus ({maxDevices}) must be at least resources.minGpus ({minDevices})");
        }

        return new JobDemand(null, minDevices, maxDevices, chooser, NormalizeGpuType(gpuType));
    }

    /// <summary>The same demand restricted to one device type (a quota flavor or the heterogeneity-aware policy's pick).</summary>
    public JobDemand OfType(string gpuType) => new(Layout, MinDevices, MaxDevices, Chooser, NormalizeGpuType(gpuType), GpuMilli);

    /// <summary>An automatic demand offered at most <paramref name="maxDevices"/> (what its queue's quota leaves); a fixed one as is.</summary>
    public JobDemand CappedAt(int maxDevices) =>
        Chooser is null || maxDevices >= MaxDevices || maxDevices < MinDevices ? this : new(null, MinDevices, maxDevices, Chooser, GpuType);

    public override string ToString() =>
        (GpuMilli is { } milli ? $"{milli / 1000.0:0.###} of a shared device" : Layout is not null ? $"{Layout} ({Layout.WorldSize} devices)" : $"auto {MinDevices}-{MaxDevices} devices")
        + (GpuType is null ? "" : $" of {GpuType}");

    private static string? NormalizeGpuType(string? gpuType)
    {
        if (gpuType is not null && string.IsNullOrWhiteSpace(gpuType))
        {
            throw new ArgumentException("resources.gpuType must be a catalog name or absent, got an empty string", nameof(gpuType));
        }

        return gpuType;
    }
}
