namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// Runs a schedule's programs against each other in simulated time: computes take fixed durations, sends are
/// buffered and free, a receive waits for its send. Checks every rule an executor relies on and throws
/// <see cref="InvalidOperationException"/> naming the rank and operation that breaks one, or the ranks that deadlock.
/// </summary>
internal static class PipelineScheduleSimulator
{
    public static PipelineSimulation Simulate(PipelineSchedule schedule, double forwardTime = 1, double backwardTime = 1)
    {
        var options = schedule.Options;
        var stages = options.Stages;
        var ranks = Enumerable.Range(0, stages)
            .Select(r => new RankState(r, schedule, forwardTime, backwardTime)).ToArray();
        // Messages in flight: (is gradient, micro-batch, destination virtual stage) -> (source rank, send time).
        var mailbox = new Dictionary<(bool Gradient, int MicroBatch, int VirtualStage), (int Source, double Time)>();

        var remaining = ranks.Sum(r => r.Program.Count);
        while (remaining > 0)
        {
            var progressed = false;
            foreach (var rank in ranks)
            {
                while (rank.TryStep(mailbox))
                {
                    progressed = true;
                    remaining--;
                }
            }

            if (!progressed)
            {
                var stuck = ranks.Where(r => !r.Finished).Select(r => $"rank {r.Stage} at {r.Program[r.Next]}");
                throw new InvalidOperationException($"deadlock: {string.Join("; ", stuck)}");
            }
        }

        if (mailbox.Count > 0)
            throw new InvalidOperationException($"{mailbox.Count} message(s) sent but never received, e.g. {mailbox.Keys.First()}");

        var perRank = options.MicroBatches * options.Batches;
        foreach (var rank in ranks) rank.CheckComplete(perRank);

        return new PipelineSimulation(ranks.Max(r => r.Clock), ranks.Select(r => r.Busy).ToArray(), ranks.Select(r => r.MaxInFlight).ToArray());
    }
}
