namespace Orchestrator.Kernels.Pipeline;

/// <summary>The names job specs use for schedules (<c>gpipe</c>, <c>1f1b</c>, <c>interleaved</c>, <c>2bw</c>).</summary>
public static class PipelineScheduleNames
{
    private static readonly Dictionary<string, PipelineScheduleKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpipe"] = PipelineScheduleKind.GPipe,
        ["1f1b"] = PipelineScheduleKind.OneForwardOneBackward,
        ["pipedream-flush"] = PipelineScheduleKind.OneForwardOneBackward,
        ["interleaved"] = PipelineScheduleKind.Interleaved,
        ["interleaved-1f1b"] = PipelineScheduleKind.Interleaved,
        ["2bw"] = PipelineScheduleKind.PipeDream2BW,
        ["pipedream-2bw"] = PipelineScheduleKind.PipeDream2BW,
    };

    /// <summary>Every accepted name.</summary>
    public static IReadOnlyCollection<string> Accepted => Kinds.Keys;

    /// <summary>The schedule a name stands for (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Accepted"/>.</exception>
    public static PipelineScheduleKind Parse(string name, string field = "schedule") =>
        name is not null && Kinds.TryGetValue(name, out var kind)
            ? kind
            : throw new ArgumentException($"{field} '{name}' is not a pipeline schedule; allowed: {string.Join(", ", Kinds.Keys)}", field);

    /// <summary>The canonical short name of a schedule.</summary>
    public static string NameOf(PipelineScheduleKind kind) => kind switch
    {
        PipelineScheduleKind.GPipe => "gpipe",
        PipelineScheduleKind.OneForwardOneBackward => "1f1b",
        PipelineScheduleKind.Interleaved => "interleaved",
        PipelineScheduleKind.PipeDream2BW => "2bw",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown schedule"),
    };
}
