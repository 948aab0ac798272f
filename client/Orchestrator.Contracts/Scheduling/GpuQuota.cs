namespace Orchestrator.Contracts.Scheduling;

/// <summary>A queue's quota of one device type (Kueue's per-flavor quota of a ClusterQueue).</summary>
/// <param name="GpuType">Device type (catalog name, e.g. <c>h100</c>), compared case-insensitively.</param>
/// <param name="Nominal">Devices the queue is guaranteed (unless it lends them while it does not use them).</param>
/// <param name="BorrowingLimit">Most devices beyond <paramref name="Nominal"/> it may borrow from its cohort; null
/// for no limit but the cohort's unused quota.</param>
/// <param name="LendingLimit">Most of its unused nominal devices the cohort may borrow; null to lend all of them.
/// The rest (<c>nominal - lendingLimit</c>) stays reserved for the queue even while it is idle.</param>
[GenerateSerializer, Immutable]
public sealed record GpuQuota(
    [property: Id(0)] string GpuType,
    [property: Id(1)] int Nominal,
    [property: Id(2)] int? BorrowingLimit = null,
    [property: Id(3)] int? LendingLimit = null);
