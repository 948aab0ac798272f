namespace Orchestrator.Kernels.Pipeline;

/// <summary>The outcome of running a schedule in simulated time.</summary>
/// <param name="Makespan">Time from the first operation to the last rank's last operation.</param>
/// <param name="BusyTime">Compute time each rank spends (the same on every rank for these schedules).</param>
/// <param name="MaxInFlight">Per rank, the most (micro-batch, chunk) pairs forwarded but not yet backwarded at once.</param>
internal sealed record PipelineSimulation(double Makespan, IReadOnlyList<double> BusyTime, IReadOnlyList<int> MaxInFlight)
{
    /// <summary>Idle time relative to the ideal (pure compute on the busiest rank): (makespan - busy) / busy.</summary>
    public double IdleFraction => (Makespan - BusyTime.Max()) / BusyTime.Max();
}
