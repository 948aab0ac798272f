using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Evaluation.Aggregation;

namespace Orchestrator.Evaluation.Runs;

/// <summary>
/// Merges a run's shard files into HELM's files, one folder per scenario under the run's results folder:
/// <c>run_spec.json</c>, <c>scenario_state.json</c>, <c>per_instance_stats.json</c> and <c>stats.json</c>, each written
/// to a temporary name and renamed, so a reader never sees half a file. Aggregation is <see cref="RunAggregator"/>'s,
/// which sorts before summing: the stats do not depend on how the run was sharded.
/// </summary>
public static class RunResults
{
    private static readonly JsonSerializerOptions Indented = new(ShardResultsFile.Json) { WriteIndented = true };

    /// <summary>Aggregates and writes the files; returns the run's scores (every stat's mean).</summary>
    /// <param name="spec">The run's spec.</param>
    /// <param name="modelId">The model evaluated.</param>
    /// <param name="resultsDirectory">The run's folder (its shards' files are under <c>shards/</c>).</param>
    /// <param name="shards">How many shards wrote files.</param>
    /// <param name="instances">Evaluated instances in the run (each must have exactly one result).</param>
    /// <exception cref="InvalidDataException">A unit is missing or was reported twice.</exception>
    public static IReadOnlyList<EvaluationScore> Write(EvaluationJobSpec spec, string modelId, string resultsDirectory, int shards, int instances)
    {
        var units = Enumerable.Range(0, shards)
            .SelectMany(i => ShardResultsFile.ReadAll(ShardResultsFile.PathOf(resultsDirectory, i)))
            .ToList();
        var missing = instances - units.Select(u => u.Index).Distinct().Count();
        if (missing != 0 || units.Count != instances)
            throw new InvalidDataException($"the shards hold {units.Count} results for {instances} instances ({missing} missing); cannot aggregate");

        var scores = new List<EvaluationScore>();
        foreach (var scenario in spec.Scenarios)
        {
            var mine = units.Where(u => u.Scenario == scenario.Name).OrderBy(u => u.Index).ToList();
            var perInstance = RunAggregator.Canonical(mine.SelectMany(u => u.Stats).Select(s => s.ToStats()));
            var stats = RunAggregator.Aggregate(perInstance);
            var folder = Path.Combine(resultsDirectory, scenario.Name);
            Directory.CreateDirectory(folder);
            WriteAtomically(Path.Combine(folder, "run_spec.json"), RunSpecJson(spec, scenario, modelId));
            WriteAtomically(Path.Combine(folder, "scenario_state.json"), ScenarioStateJson(scenario, mine));
            WriteAtomically(Path.Combine(folder, "per_instance_stats.json"), HelmStatsJson.WritePerInstanceStats(perInstance));
            WriteAtomically(Path.Combine(folder, "stats.json"), HelmStatsJson.WriteStats(stats));
            scores.AddRange(stats.Where(s => s.Mean is not null).Select(s => new EvaluationScore(
                scenario.Name, s.Name.Name, s.Name.Split, PerturbationLabel(s.Name), s.Mean!.Value, s.Count)));
        }

        return scores;
    }

    /// <summary>The per-instance results of a run as stored by its shards (for comparing runs cut differently).</summary>
    public static IReadOnlyList<PerInstanceStats> PerInstance(string resultsDirectory, int shards) =>
        RunAggregator.Canonical(Enumerable.Range(0, shards)
            .SelectMany(i => ShardResultsFile.ReadAll(ShardResultsFile.PathOf(resultsDirectory, i)))
            .SelectMany(u => u.Stats).Select(s => s.ToStats()));

    private static string? PerturbationLabel(MetricName name) => name.Perturbation is { } p
        ? p.ComputedOn is { } on && on != "perturbed" ? $"{p.Name} ({on})" : p.Name
        : null;

    private static string RunSpecJson(EvaluationJobSpec spec, EvaluationScenarioSpec scenario, string modelId)
    {
        // HELM's RunSpec: name, scenario, adapter, metrics, data augmentation; ours adds the model id and the shards.
        var runSpec = new JsonObject
        {
            ["name"] = $"{scenario.Name}:model={modelId}",
            ["scenario_spec"] = new JsonObject { ["name"] = scenario.Name, ["source"] = scenario.Source },
            ["adapter_spec"] = JsonSerializer.SerializeToNode(scenario.Adapter, Indented),
            ["metric_specs"] = JsonSerializer.SerializeToNode(spec.Metrics, Indented),
            ["data_augmenter_spec"] = JsonSerializer.SerializeToNode(spec.Perturbations, Indented),
            ["model"] = modelId,
            ["max_eval_instances"] = spec.MaxInstances,
        };
        return runSpec.ToJsonString(Indented);
    }

    private static string ScenarioStateJson(EvaluationScenarioSpec scenario, IReadOnlyList<UnitResult> units)
    {
        var states = new JsonArray();
        foreach (var unit in units)
        {
            foreach (var request in unit.Requests.EnumerateArray()) states.Add(JsonNode.Parse(request.GetRawText()));
        }

        return new JsonObject
        {
            ["adapter_spec"] = JsonSerializer.SerializeToNode(scenario.Adapter, Indented),
            ["request_states"] = states,
        }.ToJsonString(Indented);
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
