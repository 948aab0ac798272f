using System.CommandLine;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch job ID</c>: spec, plan, placement, attempts and events of one job.</summary>
internal static class JobCommand
{
    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("id") { Description = "Job id (as printed by submit or jobs)" };
        var output = OutputOption.Create();
        var command = new Command("job", "Show one job: spec, plan, placement, attempts, events") { id, output };
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await Connection.OpenAsync(parse, ct);
            var job = await client.GetAsync(parse.GetValue(id)!, ct);
            if (parse.GetValue(output) is var format && format != OutputFormat.Table) Serialized.Write(console.Out, format, job);
            else
            {
                JobText.Write(console.Out, job);
                EvaluationText.WriteJobEvaluations(console.Out, await client.GetEvaluationsOfJobAsync(job.Id, ct));
            }
            return 0;
        });
        return command;
    }
}
