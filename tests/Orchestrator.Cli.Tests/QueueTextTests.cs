using Orchestrator.Cli.Output;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Cli.Tests;

/// <summary><c>orch queue</c>'s per-queue table: quota, usage, borrowed, waiting and running, and the priority classes.</summary>
public sealed class QueueTextTests
{
    [Fact]
    public void Each_queue_shows_quota_usage_and_borrowed_per_device_type_shares_as_fractions()
    {
        var output = new StringWriter();
        QueueText.Write(output,
        [
            new QueueUsage("research", true, "lab", 2, [new QueueTypeUsage("h100-80gb", 8, 12, 4), new QueueTypeUsage("a100-80gb", 4, 0.25, 0)], 3, 2),
            new QueueUsage("default", false, null, 1, [new QueueTypeUsage("cpu", null, 1, 0)], 0, 1),
        ],
        [new PriorityClassSpec("low", -5, PreemptionPolicy.Never), new PriorityClassSpec("production", 1000, PreemptionPolicy.ReclaimBorrowed)]);

        var lines = output.ToString().Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Contains("QUEUE COHORT WEIGHT QUOTA USAGE BORROWED WAITING RUNNING", lines);
        Assert.Contains("research lab 2 h100-80gb:8 a100-80gb:4 h100-80gb:12 a100-80gb:0.25 h100-80gb:4 a100-80gb:0 3 2", lines);
        Assert.Contains("default - - (no Queue document) cpu:1 cpu:0 0 1", lines);
        Assert.Contains("priority classes: production=1000 (ReclaimBorrowed), low=-5 (Never)", lines);
    }
}
