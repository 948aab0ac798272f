using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Client.Specs;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch submit FILE</c>: validate and queue a job; prints its id.</summary>
internal static class SubmitCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "TrainingJob document (YAML or JSON)" };
        var output = OutputOption.Create();
        var command = new Command("submit", "Submit a job and print its id") { file, output };
        command.SetAction(async (parse, ct) =>
        {
            var spec = await JobSpecLoader.LoadAsync(parse.GetValue(file)!, ct);
            await using var client = await Connection.OpenAsync(parse, ct);
            var job = await client.SubmitAsync(spec, ct);
            if (parse.GetValue(output) is var format && format != OutputFormat.Table) Serialized.Write(console.Out, format, job);
            else console.Out.WriteLine(job.Id);
            return 0;
        });
        return command;
    }
}
