using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch watch ID</c>: events and live progress until the job ends; exit 0 only on success.</summary>
internal static class WatchCommand
{
    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var command = new Command("watch", "Follow a job's events and progress until it ends") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await Connection.OpenAsync(parse, ct);
            var follower = new JobFollower(console.Out, redraw: ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected);
            return await follower.FollowAsync(client, parse.GetValue(id)!, ct) == JobState.Succeeded ? 0 : 1;
        });
        return command;
    }
}
