using Orchestrator.Planning.Tables;

namespace Orchestrator.Planning.Hardware;

/// <summary>
/// The accelerators the planner knows, read from <c>Hardware/gpu-hardware.csv</c> (embedded in this assembly, the
/// catalog's only source, with the data sheets it comes from in its comment lines). The <c>cpu</c> entry stands for
/// a host CPU core group used as a device by the local inventory, so that jobs really run on a machine without GPUs.
/// </summary>
public static class HardwareCatalog
{
    /// <summary>Name of the CPU stand-in device used by the local inventory.</summary>
    public const string Cpu = "cpu";

    private static readonly GpuModel[] Models = [.. EmbeddedCsv.Load("Hardware.gpu-hardware.csv").Rows.Select(Parse)];

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

    private static GpuModel Parse(CsvRow row) => new(
        row.Text("gpu"),
        row.Number("bf16_dense_tflops"),
        Optional(row, "fp8_dense_tflops"),
        row.Number("hbm_gib"),
        row.Number("hbm_tbps"),
        row.Number("nvlink_gbps_per_direction"),
        row.Number("network_gbps_per_direction"),
        row.Int("gpus_per_node"),
        Enum.Parse<GpuGeneration>(row.Text("generation"), ignoreCase: true),
        Optional(row, "mamf_bf16_tflops"),
        Optional(row, "mamf_fp8_tflops"),
        FusedAttentionMeasurement(row));

    /// <summary>The row's fused-attention measurement, which must be one <see cref="FusedAttentionRates"/> knows.</summary>
    private static string? FusedAttentionMeasurement(CsvRow row)
    {
        var name = row.Text("fused_attention");
        if (name.Length == 0) return null;
        _ = FusedAttentionRates.For(name);
        return name;
    }

    private static double? Optional(CsvRow row, string column) => row.Text(column).Length == 0 ? null : row.Number(column);
}
