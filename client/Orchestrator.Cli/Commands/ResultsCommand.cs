using System.CommandLine;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch results RUN [-o table|json|yaml] [--all]</c>: an evaluation run's aggregated stats; <c>orch results --compare
/// RUN RUN ...</c>: a leaderboard across runs (models, checkpoints).
/// </summary>
internal static class ResultsCommand
{
    public static Command Create(CliConsole console)
    {
        var runs = new Argument<string[]>("runs") { Description = "Evaluation run id(s)", Arity = ArgumentArity.OneOrMore };
        var compare = new Option<bool>("--compare") { Description = "Leaderboard: one row per run, one column per headline stat" };
        var all = new Option<bool>("--all") { Description = "Every stat (counts, perturbed copies, efficiency), not only the headline metrics" };
        var output = OutputOption.Create();
        var command = new Command("results", "Show an evaluation run's scores, or compare runs") { runs, compare, all, output };
        command.SetAction(async (parse, ct) =>
        {
            var ids = parse.GetValue(runs)!;
            if (ids.Length > 1 && !parse.GetValue(compare))
                throw new ArgumentException($"{ids.Length} runs given: use --compare for a leaderboard, or give one run");
            await using var client = await Connection.OpenAsync(parse, ct);
            var views = new List<Contracts.Evaluation.EvaluationRunView>();
            foreach (var id in ids) views.Add(await client.GetEvaluationAsync(id, ct));
            var unfinished = views.Where(v => v.State != Contracts.Jobs.JobState.Succeeded).ToList();
            if (unfinished.Count > 0)
                throw new InvalidOperationException(string.Join("; ", unfinished.Select(v => $"run {v.Id} is {v.State}{(v.Message is { } m ? $": {m}" : "")}; it has no results")));

            var format = parse.GetValue(output);
            if (format != OutputFormat.Table)
            {
                Serialized.Write(console.Out, format, parse.GetValue(compare) ? views.Select(v => new { v.Id, model = v.Model?.ModelId, v.Scores }).ToList() : views[0]);
                return 0;
            }

            if (parse.GetValue(compare)) EvaluationText.WriteLeaderboard(console.Out, views);
            else EvaluationText.WriteScores(console.Out, views[0], parse.GetValue(all));
            return 0;
        });
        return command;
    }
}
