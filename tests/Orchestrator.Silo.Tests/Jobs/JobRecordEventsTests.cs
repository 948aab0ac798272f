using Orchestrator.Contracts.Jobs;
using Orchestrator.Silo.Jobs;

namespace Orchestrator.Silo.Tests.Jobs;

/// <summary>A job's events are a bounded ring: a job that checkpoints every few steps does not grow its record forever.</summary>
public sealed class JobRecordEventsTests
{
    [Fact]
    public void Events_stay_bounded_keep_their_transitions_and_number_on_past_the_ring()
    {
        var job = new JobRecord();
        var now = DateTimeOffset.UnixEpoch;
        job.Transition(JobState.Planning, now, "planned");
        for (var i = 0; i < 3 * JobRecord.MaxEvents; i++) job.Note(now, $"checkpoint {i}");
        job.Transition(JobState.Placed, now, "placed");

        Assert.Equal(JobRecord.MaxEvents, job.Events.Count);
        Assert.Equal(3 * JobRecord.MaxEvents + 2, job.EventsRecorded);
        Assert.Equal(job.EventsRecorded, job.Events[^1].Sequence);
        Assert.Equal(job.Events.Select(e => e.Sequence).Order(), job.Events.Select(e => e.Sequence));
        Assert.Equal([JobState.Planning, JobState.Placed], job.Events.Where(e => e.From != e.To).Select(e => e.To));
        Assert.Equal($"checkpoint {3 * JobRecord.MaxEvents - 1}", job.Events[^2].Reason);
    }
}
