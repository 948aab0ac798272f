namespace Orchestrator.Silo.Lifecycle;

/// <summary>What a worker's end means for the attempt: why it ended, and whether the devices it ran on are charged.</summary>
/// <param name="Reason">The attempt's end reason, which the restart policy decides from.</param>
/// <param name="ChargesDevices">True when the devices of the worker's node get a fault (infrastructure, hangs).</param>
/// <param name="Explanation">Who is blamed, for the job's event log.</param>
internal sealed record ExitVerdict(AttemptEndReason Reason, bool ChargesDevices, string Explanation);
