using System.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch cancel ID</c>.</summary>
internal static class CancelCommand
{
    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var command = new Command("cancel", "Cancel a job in any state") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await Connection.OpenAsync(parse, ct);
            var job = await client.CancelAsync(parse.GetValue(id)!, "cancelled by user (orch cancel)", ct);
            console.Out.WriteLine($"{job.Id}: {job.State}");
            return 0;
        });
        return command;
    }
}
