using Orchestrator.Silo.Execution;
using Orchestrator.Silo.Jobs;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Execution;

/// <summary>A worker's log is rotated past its limit while the worker keeps appending, and a follower picks up the new start.</summary>
public sealed class WorkerLogRotationTests
{
    [Fact]
    public void A_log_past_its_limit_moves_aside_and_the_appending_writer_and_a_follower_carry_on()
    {
        var log = Path.Combine(TestJobs.TemporaryDirectory("rotation"), "local.log");
        // As the worker's shell appends (O_APPEND): every write lands at the current end.
        void Write(string text) => File.AppendAllText(log, text);

        Write("step 1\n");
        Assert.False(WorkerLogRotation.RotateIfLarger(log, 1024));
        Write(new string('x', 2000) + "\n");
        var followed = LogReader.Read(log, 0, 1, false).NextOffset;
        Assert.True(WorkerLogRotation.RotateIfLarger(log, 1024));
        Write("step 2\n");

        Assert.StartsWith("step 1\n", File.ReadAllText(log + ".1"));
        Assert.Equal("step 2\n", File.ReadAllText(log));
        Assert.Equal("step 2\n", LogReader.Read(log, followed, 1, false).Text);
    }
}
