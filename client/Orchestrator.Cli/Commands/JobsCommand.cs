using System.CommandLine;
using System.Globalization;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch jobs</c>: every job, newest first.</summary>
internal static class JobsCommand
{
    public static Command Create(CliConsole console)
    {
        var output = OutputOption.Create();
        var command = new Command("jobs", "List jobs, newest first") { output };
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await Connection.OpenAsync(parse, ct);
            var jobs = await client.ListAsync(ct);
            if (parse.GetValue(output) is var format && format != OutputFormat.Table)
            {
                Serialized.Write(console.Out, format, jobs);
                return 0;
            }

            Tables.Write(console.Out, ["ID", "STATE", "QUEUE", "PRIO", "GPUS", "STEP", "LOSS", "SUBMITTED"], jobs.Select(j => (IReadOnlyList<string>)
            [
                j.Id, j.State.ToString(), j.Queue, j.Priority.ToString(CultureInfo.InvariantCulture), j.Gpus.ToString(CultureInfo.InvariantCulture),
                $"{j.Step}/{j.TotalSteps}", j.Loss?.ToString("F4", CultureInfo.InvariantCulture) ?? "-", j.SubmittedAt.ToString("u", CultureInfo.InvariantCulture),
            ]));
            return 0;
        });
        return command;
    }
}
