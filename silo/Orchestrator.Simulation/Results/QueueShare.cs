namespace Orchestrator.Simulation.Results;

/// <summary>A queue's share of the allocated devices while every queue had work waiting, against its fair-share target.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Target">Its weight over the sum of weights.</param>
/// <param name="Share">Its time-averaged share of the allocated devices.</param>
internal sealed record QueueShare(string Queue, double Target, double Share)
{
    public double Deviation => Math.Abs(Share - Target);
}
