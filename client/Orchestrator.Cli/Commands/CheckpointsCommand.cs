using System.CommandLine;
using System.Globalization;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch checkpoints ID</c>: the job's checkpoints in the checkpoint store.</summary>
internal static class CheckpointsCommand
{
    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var output = OutputOption.Create();
        var command = new Command("checkpoints", "List a job's checkpoints in the checkpoint store: step, attempt, layout, size") { id, output };
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await Connection.OpenAsync(parse, ct);
            var checkpoints = await client.GetCheckpointsAsync(parse.GetValue(id)!, ct);
            if (parse.GetValue(output) is var format && format != OutputFormat.Table)
            {
                Serialized.Write(console.Out, format, checkpoints);
                return 0;
            }

            if (checkpoints.Count == 0)
            {
                console.Out.WriteLine("no checkpoints stored for this job");
                return 0;
            }

            Tables.Write(console.Out, ["STEP", "ATTEMPT", "LAYOUT", "CREATED", "SIZE", "TENSORS", "PINNED", "STATUS"], checkpoints.Select(c => (IReadOnlyList<string>)
            [
                c.Step.ToString(CultureInfo.InvariantCulture), c.Attempt.ToString(CultureInfo.InvariantCulture), c.Layout,
                c.Error is null ? c.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-",
                c.Error is null ? JobText.Size(c.LogicalBytes) : "-", c.Tensors.ToString(CultureInfo.InvariantCulture), c.Pinned ? "yes" : "",
                c.Error ?? "ok",
            ]));
            return 0;
        });
        return command;
    }
}
