namespace Orchestrator.Planning.Hardware;

/// <summary>
/// The accelerators the planner knows. Figures from the vendors' data sheets, as collected in
/// <c>shared/anchors/gpu-hardware.csv</c>. The <c>cpu</c> entry stands for a host CPU core group used as a
/// device by the local inventory, so that jobs really run on a machine without GPUs.
/// </summary>
public static class HardwareCatalog
{
    /// <summary>Name of the CPU stand-in device used by the local inventory.</summary>
    public const string Cpu = "cpu";

    private static readonly GpuModel[] Models =
    [
        new("a100-40gb", 312, null, 40, 1.555, 300, 25, 8),
        new("a100-80gb", 312, null, 80, 2.039, 300, 25, 8),
        new("h100-80gb", 989, 1979, 80, 3.35, 450, 50, 8),
        new("h200-141gb", 989, 1979, 141, 4.8, 450, 50, 8),
        // A CPU "device": a few cores of a host. Figures are nominal; nothing is planned against them at scale.
        new(Cpu, 1, null, 16, 0.05, 20, 10, 1),
    ];

    private static readonly Dictionary<string, GpuModel> ByName =
        Models.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every known model.</summary>
    public static IReadOnlyList<GpuModel> All => Models;

    /// <summary>Looks a model up by name, ignoring case.</summary>
    public static bool TryGet(string name, out GpuModel model) => ByName.TryGetValue(name, out model!);

    /// <summary>Looks a model up by name.</summary>
    /// <exception cref="ArgumentException">The name is not in the catalog; the message lists the known names.</exception>
    public static GpuModel Get(string name) =>
        TryGet(name, out var model)
            ? model
            : throw new ArgumentException($"unknown GPU type '{name}'; known types: {string.Join(", ", Models.Select(m => m.Name))}", nameof(name));
}
