using Orchestrator.Contracts.Scheduling;
using Orchestrator.Silo.Scheduling;
using Orchestrator.Silo.Scheduling.Policies;
using static Orchestrator.Silo.Tests.Scheduling.Jobs;

namespace Orchestrator.Silo.Tests.Scheduling.Policies;

/// <summary>
/// Quota arithmetic on a hand-worked cohort "lab" of h100 devices:
/// a: nominal 8, lendingLimit 4 (4 guaranteed, 4 lendable); b: nominal 8, borrowingLimit 6 (all 8 lendable);
/// c: nominal 0 (borrows only). The cohort's lendable pool is 4 + 8 + 0 = 12. Queue solo: nominal 4, no cohort.
/// </summary>
public sealed class QuotaLedgerTests
{
    private static readonly QuotaBook Book = new([
        new QueueSpec("a", [new GpuQuota("h100", 8, LendingLimit: 4)], "lab"),
        new QueueSpec("b", [new GpuQuota("h100", 8, BorrowingLimit: 6)], "lab"),
        new QueueSpec("c", [new GpuQuota("h100", 0)], "lab"),
        new QueueSpec("solo", [new GpuQuota("h100", 4)]),
    ]);

    [Fact]
    public void An_idle_cohort_lends_everything_lendable_within_each_borrowing_limit()
    {
        var ledger = Ledger();

        Assert.Equal(16, ledger.Headroom("a", "h100")); // 4 guaranteed + the pool of 12
        Assert.Equal(12, ledger.Headroom("b", "h100")); // pool 12 < nominal 8 + borrowing limit 6
        Assert.Equal(12, ledger.Headroom("c", "h100"));
        Assert.Equal(4, ledger.Headroom("solo", "h100"));
        Assert.Equal(0, ledger.Headroom("c", "a100")); // no quota of that type anywhere
    }

    [Fact]
    public void Borrowing_is_usage_beyond_nominal_and_shrinks_what_the_lenders_can_start()
    {
        var ledger = Ledger(("b", 12));

        Assert.Equal(4, ledger.Borrowed("b", "h100"));
        Assert.Equal(0, ledger.Headroom("b", "h100")); // the pool is drawn: 12 of 12
        Assert.Equal(4, ledger.Headroom("a", "h100")); // only a's guaranteed part is left to it
        Assert.Equal(0, ledger.Headroom("c", "h100"));
        Assert.Null(ledger.Refusal("a", "h100", 4000));
        Assert.Contains("cohort 'lab' has 0 of 12 lendable left", ledger.Refusal("a", "h100", 8000));
    }

    [Fact]
    public void The_borrowing_limit_binds_before_the_pool_runs_dry()
    {
        var ledger = Ledger(("b", 14));

        Assert.Equal(0, ledger.Headroom("b", "h100"));
        Assert.Contains("borrowing limit 6", ledger.Refusal("b", "h100", 1000));
    }

    [Fact]
    public void A_lending_limit_keeps_the_rest_of_the_nominal_quota_for_its_queue()
    {
        // c borrows everything the others may lend: a's 4 lendable and b's 8.
        var ledger = Ledger(("c", 12));

        Assert.Equal(4, ledger.Headroom("a", "h100")); // a's unlendable 4 stay
        Assert.Equal(0, ledger.Headroom("b", "h100")); // b lent all of its 8
        Assert.Equal(12, ledger.Borrowed("c", "h100"));
    }

    [Fact]
    public void Releasing_borrowed_devices_gives_the_lenders_back_their_quota()
    {
        var ledger = Ledger(("b", 12));
        ledger.Release("b", "h100", 4000);

        Assert.Equal(0, ledger.Borrowed("b", "h100"));
        Assert.Equal(8, ledger.Headroom("a", "h100")); // 4 guaranteed + 4 of its own lent back
    }

    [Fact]
    public void A_queue_without_a_cohort_never_exceeds_its_nominal_quota()
    {
        var ledger = Ledger(("solo", 3));

        Assert.Equal(1, ledger.Headroom("solo", "h100"));
        Assert.Contains("no cohort to borrow from", ledger.Refusal("solo", "h100", 2000));
        Assert.Contains("not defined", ledger.Refusal("nobody", "h100", 1000));
    }

    [Fact]
    public void Device_types_compare_without_case()
    {
        var ledger = Ledger(("solo", 3));

        Assert.Equal(3, ledger.Used("solo", "H100"));
        Assert.Equal(1, ledger.Headroom("solo", "H100"));
    }

    private static QuotaLedger Ledger(params (string Queue, int Devices)[] usage) =>
        new(Book, usage.Select((u, i) => new RunningJob($"r{i}", 0, Enumerable.Range(0, u.Devices).Select(d => $"{u.Queue}/{d}").ToList(),
            T0, null, Queue: u.Queue, GpuType: "h100")));
}
