namespace Orchestrator.Silo.Scheduling.Policies;

/// <summary>The names policies go by in configuration and scenario files.</summary>
internal static class SchedulingPolicyNames
{
    private static readonly (string Name, SchedulingPolicyKind Kind)[] Names =
    [
        ("priority-fifo-backfill", SchedulingPolicyKind.PriorityFifoBackfill),
        ("fair-share", SchedulingPolicyKind.FairShare),
        ("heterogeneity-aware", SchedulingPolicyKind.HeterogeneityAware),
    ];

    /// <summary>The allowed names, comma-separated, for error messages.</summary>
    public static string Allowed => string.Join(", ", Names.Select(n => n.Name));

    public static string NameOf(SchedulingPolicyKind kind) => Names.Single(n => n.Kind == kind).Name;

    /// <summary>The policy named <paramref name="name"/> (case-insensitive), or null when there is none of that name.</summary>
    public static SchedulingPolicyKind? TryParse(string? name) =>
        Names.Where(n => string.Equals(n.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase)).Select(n => (SchedulingPolicyKind?)n.Kind).FirstOrDefault();

    /// <summary>The policy named <paramref name="name"/>; throws naming the allowed ones when there is none.</summary>
    public static SchedulingPolicyKind Parse(string? name, string field) =>
        TryParse(name) ?? throw new ArgumentException($"{field}: '{name}' is not a scheduling policy; allowed: {Allowed}", field);
}
