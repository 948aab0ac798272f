using System.Text.Json;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Clients;
using Orchestrator.Evaluation.Instances;
using Orchestrator.Evaluation.Metrics;
using Orchestrator.Evaluation.Perturbations;

namespace Orchestrator.Evaluation.Runs;

/// <summary>
/// A shard's pipeline: for each unit of its range not yet in its results file, the instance and its perturbed copies
/// are adapted (with the scenario's train instances as in-context examples, the same for every shard), sent to the
/// model, scored per instance, and appended to the file; progress is reported after each unit. Each unit depends only
/// on itself and the train split, so any cut into shards gives the same per-instance results.
/// </summary>
public sealed class ShardEvaluator(EvaluationJobSpec spec, RunInstances run, IModelClient client)
{
    private readonly EfficiencyMetrics _efficiency = SpecMapping.Efficiency(spec.Profiles);
    private readonly IReadOnlyList<(Perturbation Perturbation, int? Seed)> _perturbations =
        spec.Perturbations.Select(p => (SpecMapping.Perturbation(p), p.Seed)).ToList();

    /// <summary>Evaluates units [<paramref name="start"/>, <paramref name="end"/>) into <paramref name="results"/>.</summary>
    /// <param name="start">First unit.</param>
    /// <param name="end">End of the range (exclusive).</param>
    /// <param name="results">The shard's results file (units already there are skipped).</param>
    /// <param name="progress">Called after each unit and once before the first (with what was resumed).</param>
    /// <param name="cancellationToken">Stops between requests; what was appended stays.</param>
    /// <returns>The final progress.</returns>
    public async Task<ShardProgress> RunAsync(
        int start, int end, ShardResultsFile results, Func<ShardProgress, Task> progress, CancellationToken cancellationToken)
    {
        if (start < 0 || end > run.Units.Count || start > end)
            throw new ArgumentException($"shard range [{start}, {end}) is outside the run's {run.Units.Count} instances");
        var total = end - start;
        var resumed = Enumerable.Range(start, total).Count(results.Done.Contains);
        var evaluated = 0;
        ShardProgress Current() => new(resumed + evaluated, total, resumed, evaluated,
            (client as CachingModelClient)?.Hits ?? 0, (client as CachingModelClient)?.Misses ?? 0);

        await progress(Current());
        for (var index = start; index < end; index++)
        {
            if (results.Done.Contains(index)) continue;
            results.Append(await EvaluateAsync(run.Units[index], cancellationToken));
            evaluated++;
            await progress(Current());
        }

        return Current();
    }

    private async Task<UnitResult> EvaluateAsync(EvaluationUnit unit, CancellationToken cancellationToken)
    {
        var scenarioSpec = spec.Scenarios.First(s => s.Name == unit.Scenario);
        var scenario = run.Scenario(unit.Scenario);
        var adapter = SpecMapping.Adapter(scenarioSpec.Adapter, client.ModelId);
        var instances = new List<Instance> { unit.Instance };
        instances.AddRange(scenario.Instances.Where(x => x.Id == unit.Instance.Id && x.Perturbation is not null));
        instances.AddRange(_perturbations.Select(p => p.Perturbation.Apply(unit.Instance, p.Seed)));
        var states = Adapter.Adapt(new Scenario(scenario.Name, [.. scenario.InSplit(Splits.Train), .. instances]), adapter, client.Window);

        var answered = new List<(RequestState State, RequestResult Result)>(states.Count);
        foreach (var state in states)
        {
            answered.Add((state, await client.CompleteAsync(state.Request, cancellationToken)));
        }

        var evaluator = new InstanceEvaluator(adapter, client.Window.Tokenizer, spec.Metrics, _efficiency);
        var stats = answered
            .GroupBy(a => (a.State.Instance.Id, a.State.Instance.Perturbation?.Name, a.State.TrainTrialIndex))
            .Select(group => evaluator.Evaluate(group.ToList()))
            .Select(StoredInstanceStats.From)
            .ToList();
        var requests = JsonSerializer.SerializeToElement(answered.Select(a => RequestRecord.From(a.State, a.Result)), ShardResultsFile.Json);
        return new UnitResult(unit.Index, unit.Scenario, unit.Instance.Id, stats, requests);
    }
}
