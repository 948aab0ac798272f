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

    /// <summary>
    /// HELM's leaderboard: one row per run, ranked by mean win rate (the share of other runs it beats, ties half, averaged
    /// over columns); per scenario its main metric (the spec's first, else exact match, else bits per byte) and that
    /// metric's robustness worst case.
    /// </summary>
    public static void WriteLeaderboard(TextWriter output, IReadOnlyList<EvaluationRunView> runs)
    {
        var main = runs.Select(r => MainScores.Of(r.Spec, r.Scores)).ToList();
        var columns = main.SelectMany(m => m.Select(MainScores.Label)).Distinct().ToList();
        var values = main.Select(m => columns.Select(c => m.FirstOrDefault(s => MainScores.Label(s) == c)?.Mean).ToList()).ToList();
        var lowerIsBetter = columns.Select(c => main.SelectMany(m => m).First(s => MainScores.Label(s) == c).Metric).Select(MainScores.LowerIsBetter).ToList();
        var winRates = runs.Select((_, i) => WinRate(values, lowerIsBetter, i)).ToList();
        var rows = Enumerable.Range(0, runs.Count)
            .OrderByDescending(i => winRates[i])
            .Select((i, rank) => (IReadOnlyList<string>)[(rank + 1).ToString(CultureInfo.InvariantCulture), runs[i].Model?.ModelId ?? "?", runs[i].Id, Number(winRates[i]),
                .. values[i].Select(v => v is { } x ? Number(x) : "-")]);
        Tables.Write(output, ["#", "MODEL", "RUN", "WIN RATE", .. columns], rows, width: 400);
    }

    /// <summary><c>orch job</c>'s evaluation lines: the latest scores of each run over the job's checkpoints.</summary>
    public static void WriteJobEvaluations(TextWriter output, IReadOnlyList<EvaluationRunView> runs)
    {
        if (runs.Count == 0) return;
        output.WriteLine();
        output.WriteLine("Evaluations:");
        foreach (var run in runs)
        {
            // A follower's latest evaluated checkpoint, or the run's own checkpoint.
            var done = run.Checkpoints?.LastOrDefault(c => c.State == Contracts.Jobs.JobState.Succeeded);
            var step = run.Checkpoints is null ? run.Model?.CheckpointStep : done?.Step;
            IReadOnlyList<EvaluationScore> latest = run.Checkpoints is null ? MainScores.Of(run.Spec, run.Scores) : done?.Scores ?? [];
            var scores = latest.Count == 0 ? "no scores yet" : string.Join(", ", latest.Select(s => $"{MainScores.Label(s)} {Number(s.Mean)}"));
            var what = run.Checkpoints is { } all ? $"every checkpoint, {all.Count} so far" : $"step {run.Model?.CheckpointStep}";
            output.WriteLine($"  {run.Id} ({what}, {run.State}): {(step is { } s ? $"step {s}: " : "")}{scores}");
        }
    }

    private static double WinRate(IReadOnlyList<List<double?>> values, IReadOnlyList<bool> lowerIsBetter, int run)
    {
        var rates = new List<double>();
        for (var c = 0; c < lowerIsBetter.Count; c++)
        {
            if (values[run][c] is not { } mine) continue;
            var others = values.Where((_, i) => i != run).Select(v => v[c]).OfType<double>().ToList();
            if (others.Count == 0) continue;
            rates.Add(others.Sum(o => mine == o ? 0.5 : (mine > o) != lowerIsBetter[c] ? 1 : 0) / others.Count);
        }

        return rates.Count == 0 ? 0 : rates.Average();
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
