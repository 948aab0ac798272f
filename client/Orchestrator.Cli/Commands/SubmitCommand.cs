using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Client.Specs;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch submit FILE</c>: validate and queue a job; prints its id.</summary>
internal static class SubmitCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "TrainingJob or EvaluationJob document (YAML or JSON)" };
        var output = OutputOption.Create();
        var command = new Command("submit", "Submit a job and print its id") { file, output };
        command.SetAction(async (parse, ct) =>
        {
            var document = await JobSpecLoader.LoadDocumentAsync(parse.GetValue(file)!, ct);
            await using var client = await Connection.OpenAsync(parse, ct);
            object submitted = document.Evaluation is { } evaluation
                ? await client.SubmitEvaluationAsync(evaluation, ct)
                : await client.SubmitAsync(document.Training!, ct);
            if (parse.GetValue(output) is var format && format != OutputFormat.Table) Serialized.Write(console.Out, format, submitted);
            else console.Out.WriteLine(submitted is Contracts.Evaluation.EvaluationRunView run ? run.Id : ((Contracts.Jobs.JobView)submitted).Id);
            return 0;
        });
        return command;
    }
}
