namespace Orchestrator.Silo.Scheduling.Sharing;

/// <summary>Makes the policy of a <see cref="SharePolicyKind"/>.</summary>
internal static class SharePolicies
{
    public static IReadOnlyList<SharePolicyKind> All { get; } = Enum.GetValues<SharePolicyKind>();

    /// <param name="kind">Which policy.</param>
    /// <param name="workload">The target workload (FGD measures fragmentation against it; the others ignore it).</param>
    /// <param name="seed">Seed of the random policy.</param>
    public static ISharePolicy Create(SharePolicyKind kind, TargetWorkload workload, int seed = 1) => kind switch
    {
        SharePolicyKind.Fgd => new FgdPolicy(workload),
        SharePolicyKind.BestFit => new BestFitPolicy(),
        SharePolicyKind.FirstFit => new FirstFitPolicy(),
        SharePolicyKind.Random => new RandomFitPolicy(seed),
        SharePolicyKind.DotProduct => new DotProductPolicy(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown GPU sharing policy"),
    };
}
