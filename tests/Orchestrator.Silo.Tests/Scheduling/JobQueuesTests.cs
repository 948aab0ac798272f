using Orchestrator.Silo.Scheduling;

namespace Orchestrator.Silo.Tests.Scheduling;

public sealed class JobQueuesTests
{
    [Fact]
    public void Jobs_come_out_by_priority_then_submit_order_across_queues()
    {
        var queues = new JobQueues();
        queues.Enqueue("a", "research", 0);
        queues.Enqueue("b", "prod", 5);
        queues.Enqueue("c", "research", 5);
        queues.Enqueue("d", "prod", 0);

        Assert.Equal(["b", "c", "a", "d"], queues.Ordered().Select(e => e.JobId));
        Assert.Equal(["c", "a"], queues.Ordered("research").Select(e => e.JobId));
        Assert.Equal(["prod", "research"], queues.QueueNames);
    }

    [Fact]
    public void A_job_is_queued_at_most_once()
    {
        var queues = new JobQueues();
        var first = queues.Enqueue("a", "research", 0);

        var again = queues.Enqueue("a", "other", 9);

        Assert.Same(first, again);
        Assert.Equal(1, queues.Count);
        Assert.False(queues.Requeue(first with { Priority = 3 }));
        Assert.Equal(0, queues.Find("a")!.Priority);
    }

    [Fact]
    public void A_requeued_job_keeps_its_place_ahead_of_later_submissions()
    {
        var queues = new JobQueues();
        var early = queues.Enqueue("early", "research", 1);
        queues.Remove("early");
        queues.Enqueue("later", "research", 1);

        Assert.True(queues.Requeue(early));

        Assert.Equal(["early", "later"], queues.Ordered().Select(e => e.JobId));
    }

    [Fact]
    public void Removing_a_job_takes_it_out_of_the_order()
    {
        var queues = new JobQueues();
        queues.Enqueue("a", "research", 0);
        queues.Enqueue("b", "research", 0);

        Assert.True(queues.Remove("a"));
        Assert.False(queues.Remove("a"));

        Assert.Equal(["b"], queues.Ordered().Select(e => e.JobId));
        Assert.False(queues.Contains("a"));
    }

    [Fact]
    public void A_snapshot_restores_the_same_order_and_the_next_sequence()
    {
        var queues = new JobQueues();
        queues.Enqueue("a", "research", 0);
        queues.Enqueue("b", "prod", 3);
        queues.Enqueue("c", "research", 3);
        queues.Remove("c");

        var restored = JobQueues.Restore(queues.Snapshot());
        var next = restored.Enqueue("d", "research", 3);

        Assert.Equal(["b", "d", "a"], restored.Ordered().Select(e => e.JobId));
        Assert.Equal(3, next.Sequence);
    }

    [Fact]
    public void A_snapshot_restored_from_an_empty_queue_keeps_counting()
    {
        var queues = new JobQueues();
        queues.Enqueue("a", "research", 0);
        queues.Remove("a");

        var restored = JobQueues.Restore(queues.Snapshot());

        Assert.Equal(1, restored.Enqueue("b", "research", 0).Sequence);
    }

    [Fact]
    public void A_snapshot_listing_a_job_twice_is_refused()
    {
        var snapshot = new QueueSnapshot([new QueueEntry("a", "q", 0, 0), new QueueEntry("a", "q", 0, 1)], 2);

        var error = Assert.Throws<ArgumentException>(() => JobQueues.Restore(snapshot));
        Assert.Contains("job a", error.Message);
    }

    [Fact]
    public void A_snapshot_whose_next_sequence_is_behind_its_entries_is_refused()
    {
        var snapshot = new QueueSnapshot([new QueueEntry("a", "q", 0, 7)], 3);

        var error = Assert.Throws<ArgumentException>(() => JobQueues.Restore(snapshot));
        Assert.Contains("next sequence", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Research")]
    [InlineData("-research")]
    [InlineData("research queue")]
    public void Malformed_queue_names_are_refused_naming_the_field(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new JobQueues().Enqueue("a", name, 0));
        Assert.Contains("metadata.queue", error.Message);
    }
}
