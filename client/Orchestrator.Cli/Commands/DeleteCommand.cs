using System.CommandLine;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch delete JOB [--force]</c> removes a finished job; <c>orch delete queue NAME</c> and <c>orch delete
/// priorityclass NAME</c> remove a scheduling document (admin). kubectl's <c>delete TYPE NAME</c> form: one argument is
/// always a job id, two are always a kind and a name, so a job that happens to be called "queue" stays reachable.
/// </summary>
internal static class DeleteCommand
{
    private static readonly Dictionary<string, SchedulingDocumentKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["queue"] = SchedulingDocumentKind.Queue,
        ["priorityclass"] = SchedulingDocumentKind.PriorityClass,
    };

    public static Command Create(CliConsole console)
    {
        var target = new Argument<string>("target") { Description = "Job id; or the kind of document (queue, priorityclass) followed by its name" };
        var name = new Argument<string?>("name") { Description = "The document's name, after queue or priorityclass", Arity = ArgumentArity.ZeroOrOne };
        var force = new Option<bool>("--force") { Description = "For a job: cancel it first when it has not finished" };
        var command = new Command("delete",
            "Remove a finished job (its record, its line in orch jobs, its worker logs; checkpoints stay), or a Queue or PriorityClass document (admin)")
        {
            target, name, force,
        };
        command.SetAction(async (parse, ct) =>
        {
            var first = parse.GetValue(target)!;
            var document = parse.GetValue(name);
            if (document is not null && !Kinds.ContainsKey(first))
                throw new ArgumentException($"'{first}' is not a kind of document; use orch delete queue NAME, orch delete priorityclass NAME, or orch delete JOB to remove a job");
            if (document is not null && parse.GetValue(force))
                throw new ArgumentException("--force applies to jobs only; a queue with jobs is never deleted (cancel its jobs first)");

            await using var client = await Connection.OpenAsync(parse, ct);
            if (document is null)
            {
                await client.DeleteAsync(first, parse.GetValue(force), ct);
                console.Out.WriteLine($"{first}: deleted");
            }
            else
            {
                console.Out.WriteLine(await client.DeleteDocumentAsync(Kinds[first], document, ct));
            }

            return 0;
        });
        return command;
    }
}
