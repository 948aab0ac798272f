using System.CommandLine;
using Orchestrator.Client;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch suspend ID</c> and <c>orch resume ID</c>: one action on one job (<c>orch delete</c>: <see cref="DeleteCommand"/>).</summary>
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
