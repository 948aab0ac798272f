using System.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch logs ID [--attempt N] [--rank R] [--follow]</c>: a worker's output, kept per attempt.</summary>
internal static class LogsCommand
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var attempt = new Option<int?>("--attempt") { Description = "Attempt number (default: the latest)" };
        var rank = new Option<int?>("--rank") { Description = "Show the worker hosting this rank (default: rank 0)" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output until the attempt ends" };
        var command = new Command("logs", "Print a worker's output for an attempt") { id, attempt, rank, follow };
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await Connection.OpenAsync(parse, ct);
            long offset = 0;
            while (true)
            {
                var chunk = await client.ReadLogAsync(parse.GetValue(id)!, parse.GetValue(attempt), parse.GetValue(rank), offset, ct);
                console.Out.Write(chunk.Text);
                var caughtUp = chunk.NextOffset == offset;
                offset = chunk.NextOffset;
                if (!parse.GetValue(follow) || chunk.Complete) return 0;
                if (caughtUp) await Task.Delay(FollowInterval, ct);
            }
        });
        return command;
    }
}
