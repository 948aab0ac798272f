using System.Globalization;
using Orchestrator.Contracts.Evaluation;

namespace Orchestrator.Cli.Output;

/// <summary>How evaluation runs are printed: progress, a run's scores, and a leaderboard of several runs.</summary>
internal static class EvaluationText
{
    /// <summary>Stats shown by default: HELM's headline metrics (accuracy, calibration, language modelling, efficiency).</summary>
    private static readonly HashSet<string> Headline =
    [
        "exact_match", "quasi_exact_match", "prefix_exact_match", "quasi_prefix_exact_match", "f1_score", "rouge_l", "bleu_4",
        "bits_per_byte", "perplexity", "logprob_per_token", "ece_10_bin", "ece_1_bin", "selective_acc@10",
        "inference_runtime", "inference_idealized_runtime", "inference_denoised_runtime",
    ];

    public static string ProgressLine(EvaluationRunView run)
    {
        const int width = 24;
        var done = run.InstancesDone;
        var filled = run.Instances == 0 ? width : width * done / run.Instances;
        var running = run.Shards.Count(s => s.State == ShardState.Running);
        var waiting = run.Shards.Count(s => s.State == ShardState.Waiting);
        var hits = run.Shards.Sum(s => s.CacheHits);
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', width - filled)}] instances {done}/{run.Instances}  shards: {running} running, {waiting} waiting, {run.Shards.Count - running - waiting} done  cache hits {hits}");
    }

    public static void WriteSummary(TextWriter output, EvaluationRunView run, TimeSpan elapsed)
    {
        output.WriteLine();
        output.WriteLine($"{run.Id}: {run.State} in {elapsed.TotalSeconds:F1} s; {run.Model?.ModelId} on {run.Instances} instance(s), {run.Shards.Count} shard(s), " +
            $"{run.Shards.Sum(s => s.Attempts)} attempt(s), {run.Shards.Sum(s => s.Redone)} instance(s) redone");
        if (run.ResultsDirectory is { } results && run.State == Contracts.Jobs.JobState.Succeeded) output.WriteLine($"  results: {results}");
        if (run.Message is { } message) output.WriteLine($"  {message}");
        if (run.Scores.Count > 0) WriteScores(output, run, all: false);
    }

    public static void WriteScores(TextWriter output, EvaluationRunView run, bool all)
    {
        var rows = run.Scores
            .Where(s => all || (Headline.Contains(s.Metric) && s.Perturbation is null or "robustness" or "fairness"))
            .Select(s => (IReadOnlyList<string>)[s.Scenario, s.Metric, s.Split ?? "", s.Perturbation ?? "", Number(s.Mean), s.Count.ToString(CultureInfo.InvariantCulture)]);
        Tables.Write(output, ["SCENARIO", "METRIC", "SPLIT", "PERTURBATION", "MEAN", "COUNT"], rows);
    }

    /// <summary>One row per run, one column per headline stat any of them has (unperturbed, robustness and fairness worst cases).</summary>
    public static void WriteLeaderboard(TextWriter output, IReadOnlyList<EvaluationRunView> runs)
    {
        var columns = runs.SelectMany(r => r.Scores)
            .Where(s => Headline.Contains(s.Metric) && s.Perturbation is null or "robustness" or "fairness" && !s.Metric.StartsWith("inference_", StringComparison.Ordinal))
            .Select(Column)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        var rows = runs
            .Select(r => (Run: r, Values: columns.Select(c => r.Scores.FirstOrDefault(s => Column(s) == c)?.Mean).ToList()))
            .OrderByDescending(r => r.Values.FirstOrDefault() ?? double.NegativeInfinity)
            .Select((r, rank) => (IReadOnlyList<string>)[(rank + 1).ToString(CultureInfo.InvariantCulture), r.Run.Model?.ModelId ?? "?", r.Run.Id,
                .. r.Values.Select(v => v is { } x ? Number(x) : "-")]);
        Tables.Write(output, ["#", "MODEL", "RUN", .. columns], rows);
    }

    private static string Column(EvaluationScore s) =>
        $"{s.Scenario}:{s.Metric}{(s.Perturbation is { } p ? $" ({p})" : "")}";

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
