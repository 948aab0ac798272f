namespace Orchestrator.Contracts.Workers;

/// <summary>A worker process ended, as its launcher saw it.</summary>
/// <param name="Node">The node the worker hosted.</param>
/// <param name="ExitCode">Process exit code; 0 means it finished its steps. Negative when there was none (a pod
/// deleted before its container ran, a process killed by a signal: then minus the signal number).</param>
/// <param name="Reason">Why, in words (the tail of its output on a failure, or the pod's reason).</param>
/// <param name="Cause">Who is to blame: decides whether devices are charged and the restart budget used.</param>
[GenerateSerializer, Immutable]
public sealed record WorkerExit(
    [property: Id(0)] string Node,
    [property: Id(1)] int ExitCode,
    [property: Id(2)] string Reason,
    [property: Id(3)] ExitCause Cause);
