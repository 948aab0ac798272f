using System.Runtime.CompilerServices;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client;

/// <summary>The SDK's evaluation runs: submit, inspect, follow and cancel them.</summary>
public sealed partial class OrchestratorClient
{
    /// <summary>Validates and submits an evaluation run; returns it as stored. The id is the name plus a random suffix.</summary>
    /// <exception cref="JobSpecException">The spec breaks a rule, or the control plane refused it (e.g. no such training job); nothing was stored.</exception>
    public Task<EvaluationRunView> SubmitEvaluationAsync(EvaluationJobSpec spec, CancellationToken cancellationToken = default)
    {
        var errors = EvaluationJobSpecValidator.Validate(spec);
        if (errors.Count > 0) throw new JobSpecException(errors);
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IEvaluationRunGrain>(JobIds.New(spec.Metadata.Name)).SubmitAsync(spec);
    }

    /// <summary>An evaluation run by id.</summary>
    /// <exception cref="JobNotFoundException">No run has this id.</exception>
    public async Task<EvaluationRunView> GetEvaluationAsync(string runId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await _cluster.GetGrain<IEvaluationRunGrain>(runId).GetAsync() ?? throw new JobNotFoundException(runId);
    }

    /// <summary>Cancels an evaluation run and its shards (a no-op when it has finished).</summary>
    /// <exception cref="JobNotFoundException">No run has this id.</exception>
    public Task<EvaluationRunView> CancelEvaluationAsync(string runId, string reason = "cancelled by user", CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _cluster.GetGrain<IEvaluationRunGrain>(runId).CancelAsync(reason);
    }

    /// <summary>The evaluation runs of a training job's checkpoints (fixed steps and <c>step: every</c>), oldest first.</summary>
    public async Task<IReadOnlyList<EvaluationRunView>> GetEvaluationsOfJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var views = new List<EvaluationRunView>();
        foreach (var runId in await _cluster.GetGrain<IEvaluationIndexGrain>("default").RunsOfAsync(jobId))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await _cluster.GetGrain<IEvaluationRunGrain>(runId).GetAsync() is { } run) views.Add(run);
        }

        return views;
    }

    /// <summary>The run as it changes (each new event or progress), until it ends or <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="JobNotFoundException">No run has this id.</exception>
    public async IAsyncEnumerable<EvaluationRunView> WatchEvaluationAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EvaluationRunView? last = null;
        while (true)
        {
            var run = await GetEvaluationAsync(runId, cancellationToken);
            if (last is null || run.Events.Count != last.Events.Count || run.InstancesDone != last.InstancesDone || run.State != last.State)
            {
                last = run;
                yield return run;
            }

            if (run.IsTerminal) yield break;
            await Task.Delay(_options.WatchInterval, cancellationToken);
        }
    }
}
