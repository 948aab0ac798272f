using System.CommandLine;
using Orchestrator.Client;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch suspend ID</c>, <c>orch resume ID</c> and <c>orch delete ID [--force]</c>: one action on one job.</summary>
internal static class JobActionCommands
{
    public static Command Suspend(CliConsole console) => Create(console, "suspend",
        "Suspend a job: it checkpoints (when it can), releases its devices and waits until resumed; does not use its restart budget",
        async (_, client, id, ct) => await client.SuspendAsync(id, "suspended by user (orch suspend)", ct) is var job && job.State == JobState.Suspended
            ? $"{job.Id}: Suspended"
            : $"{job.Id}: suspending (saving a checkpoint before it stops; orch job {job.Id} shows when it is Suspended)");

    public static Command Resume(CliConsole console) => Create(console, "resume",
        "Queue a suspended job again; it restarts from its newest checkpoint",
        async (_, client, id, ct) => $"{id}: {(await client.ResumeAsync(id, "resumed by user (orch resume)", ct)).State}");

    public static Command Delete(CliConsole console)
    {
        var force = new Option<bool>("--force") { Description = "Cancel the job first when it has not finished" };
        var command = Create(console, "delete", "Remove a finished job: its record, its line in orch jobs and its worker logs (checkpoints stay)",
            async (parse, client, id, ct) =>
            {
                await client.DeleteAsync(id, parse.GetValue(force), ct);
                return $"{id}: deleted";
            });
        command.Options.Add(force);
        return command;
    }

    private static Command Create(CliConsole console, string name, string description, Func<ParseResult, OrchestratorClient, string, CancellationToken, Task<string>> act)
    {
        var id = new Argument<string>("id") { Description = "Job id" };
        var command = new Command(name, description) { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await Connection.OpenAsync(parse, ct);
            console.Out.WriteLine(await act(parse, client, parse.GetValue(id)!, ct));
            return 0;
        });
        return command;
    }
}
