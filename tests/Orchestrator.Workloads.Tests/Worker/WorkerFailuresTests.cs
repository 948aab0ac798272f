using Orchestrator.Contracts.Workers;
using Orchestrator.Kernels.Communication;
using Orchestrator.Worker;

namespace Orchestrator.Workloads.Tests.Worker;

/// <summary>The worker's exit code for each way its training run can fail; a lost peer maps the same however it arrives.</summary>
public sealed class WorkerFailuresTests
{
    private static readonly CollectiveFailedException PeerGone = new("Receive from process 1 (world ranks 4,5,6,7) failed: Connection closed by peer");

    public static TheoryData<Exception, bool> LostPeers() => new()
    {
        { PeerGone, false },
        // A rank woken from an in-process wait: a cancellation whose cause is the failure, possibly nested.
        { new OperationCanceledException("AllReduce on group world[0-7] was abandoned because another rank failed", PeerGone), false },
        { new OperationCanceledException("abandoned", new OperationCanceledException("woken", PeerGone)), false },
        // The control plane ended the attempt (the peer's exit) at the same moment: still the peer's loss.
        { new OperationCanceledException("abandoned", PeerGone), true },
        { new AggregateException(new OperationCanceledException("abandoned", PeerGone)), true },
    };

    [Theory]
    [MemberData(nameof(LostPeers))]
    public void A_lost_peer_is_a_crash_whatever_wraps_it_and_whether_or_not_a_stop_was_requested(Exception error, bool stopRequested)
    {
        var (code, message) = WorkerFailures.Classify(error, stopRequested)!.Value;

        Assert.Equal(WorkerExitCodes.Crash, code);
        Assert.Equal($"worker: lost the other processes of this attempt: {PeerGone.Message}", message);
    }

    [Fact]
    public void A_cancellation_is_a_stop_only_when_one_was_requested()
    {
        Assert.Equal(WorkerExitCodes.Stopped, WorkerFailures.Classify(new OperationCanceledException(), stopRequested: true)!.Value.ExitCode);
        Assert.Null(WorkerFailures.Classify(new OperationCanceledException(), stopRequested: false));
    }

    [Fact]
    public void Spec_errors_and_device_faults_keep_their_codes()
    {
        Assert.Equal(WorkerExitCodes.SpecError, WorkerFailures.Classify(new ArgumentException("heads must divide hidden"), false)!.Value.ExitCode);
        Assert.Equal(WorkerExitCodes.DeviceFault, WorkerFailures.Classify(new InvalidOperationException("CUDA error: uncorrectable ECC error encountered"), false)!.Value.ExitCode);
        Assert.Null(WorkerFailures.Classify(new InvalidOperationException("a bug"), false));
    }
}
