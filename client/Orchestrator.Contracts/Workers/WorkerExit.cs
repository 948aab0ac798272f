namespace Orchestrator.Contracts.Workers;

/// <summary>A worker process ended, as its launcher saw it.</summary>
/// <param name="Node">The node the worker hosted.</param>
/// <param name="ExitCode">Process exit code; 0 means it finished its steps.</param>
/// <param name="Reason">Why, in words (the tail of its output on a failure).</param>
[GenerateSerializer, Immutable]
public sealed record WorkerExit(
    [property: Id(0)] string Node,
    [property: Id(1)] int ExitCode,
    [property: Id(2)] string Reason);
