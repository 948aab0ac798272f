using Orchestrator.Contracts.Evaluation;

namespace Orchestrator.Silo.Tests.Integration;

/// <summary>Polls an evaluation run until a condition holds, failing with its events and shards when it does not in time.</summary>
internal static class EvaluationWaits
{
    public static async Task<EvaluationRunView> UntilAsync(IGrainFactory grains, string runId, Func<EvaluationRunView, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        EvaluationRunView? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await grains.GetGrain<IEvaluationRunGrain>(runId).GetAsync();
            if (last is not null && condition(last)) return last;
            await Task.Delay(100);
        }

        var history = last is null ? "(no run)" : string.Join("\n", last.Events.Select(e => $"  {e.From} -> {e.To}: {e.Reason}"));
        var shards = last is null ? "" : string.Join("\n", last.Shards.Select(s => $"  shard {s.Index}: {s.State}, {s.Attempts} attempt(s), {s.Message}"));
        throw new TimeoutException($"run {runId} did not reach the expected condition within {timeout}; state {last?.State}; events:\n{history}\nshards:\n{shards}");
    }

    public static Task<EvaluationRunView> UntilFinishedAsync(IGrainFactory grains, string runId, TimeSpan timeout) =>
        UntilAsync(grains, runId, r => r.IsTerminal, timeout);
}
