using Orchestrator.Worker;

namespace Orchestrator.Workloads.Tests.Worker;

/// <summary>
/// How a worker talks to a control plane that may have died under it: a call lost with the daemon must not hold up
/// the heartbeats behind it, and a finished worker's completion is delivered once a daemon answers again.
/// </summary>
public sealed class ControlPlaneLinkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_call_that_is_never_answered_counts_as_unanswered_after_the_patience_and_the_next_call_goes_out()
    {
        using var stop = new CancellationTokenSource();
        using var output = new StringWriter();
        var link = new ControlPlaneLink(stop, output, TimeProvider.System, Patience);
        var lost = new TaskCompletionSource<int>();

        // A request in flight when the daemon died: Orleans would fail it only at its 30 s response timeout.
        var first = link.CallAsync("heartbeat", () => lost.Task, -1);
        var finished = await Task.WhenAny(first, Task.Delay(TimeSpan.FromMinutes(1)));

        Assert.Same(first, finished);
        Assert.Equal(-1, await first);
        Assert.True(link.Away);
        Assert.Contains("heartbeat failed (TimeoutException: no answer within 0.2 s)", output.ToString(), StringComparison.Ordinal);
        Assert.False(stop.IsCancellationRequested);
        Assert.Equal(7, await link.CallAsync("heartbeat", () => Task.FromResult(7), -1));
        Assert.False(link.Away);
        Assert.Contains("answers again; re-attached", output.ToString(), StringComparison.Ordinal);
        // The abandoned call failing later is observed, not left to crash or warn.
        lost.SetException(new TimeoutException("response did not arrive on time"));
    }

    [Fact]
    public async Task A_failed_call_returns_the_unanswered_value_without_stopping_training()
    {
        using var stop = new CancellationTokenSource();
        var link = new ControlPlaneLink(stop, TextWriter.Null, TimeProvider.System, Patience);

        var ack = await link.CallAsync<int>("step report", () => throw new InvalidOperationException("connection refused"), -1);

        Assert.Equal(-1, ack);
        Assert.True(link.Away);
        Assert.False(stop.IsCancellationRequested);
    }

    [Fact]
    public async Task A_completion_is_delivered_after_training_stopped_once_the_control_plane_answers_again()
    {
        using var stop = new CancellationTokenSource();
        var link = new ControlPlaneLink(stop, TextWriter.Null, TimeProvider.System, Patience);
        // Training has ended: the worker stops its training token before it reports completion.
        await stop.CancelAsync();
        var attempts = 0;

        var delivered = await link.DeliverAsync("reporting completion", () =>
        {
            // The first try is lost with the dying daemon, the second refused while none runs; the third is answered.
            attempts++;
            return attempts switch
            {
                1 => new TaskCompletionSource().Task,
                2 => Task.FromException(new InvalidOperationException("connection refused")),
                _ => Task.CompletedTask,
            };
        }, CancellationToken.None);

        Assert.True(delivered);
        Assert.Equal(3, attempts);
    }
}
