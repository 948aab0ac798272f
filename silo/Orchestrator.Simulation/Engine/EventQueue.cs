namespace Orchestrator.Simulation.Engine;

/// <summary>
/// The future events of a run, earliest first; events at the same time come out in the order they were scheduled
/// (a sequence number breaks ties), so a run is a function of its inputs and seed alone.
/// </summary>
internal sealed class EventQueue
{
    private readonly PriorityQueue<SimulationEvent, (double Time, long Sequence)> _events = new();
    private long _sequence;

    public int Count => _events.Count;

    public void Schedule(SimulationEvent simulationEvent)
    {
        if (!double.IsFinite(simulationEvent.Time) || simulationEvent.Time < 0)
            throw new ArgumentOutOfRangeException(nameof(simulationEvent), simulationEvent.Time, "an event's time must be a finite number of seconds from the start");
        _events.Enqueue(simulationEvent, (simulationEvent.Time, _sequence++));
    }

    /// <summary>The time of the next event, or null when none is left.</summary>
    public double? PeekTime() => _events.TryPeek(out _, out var key) ? key.Time : null;

    public SimulationEvent Dequeue() => _events.Dequeue();
}
