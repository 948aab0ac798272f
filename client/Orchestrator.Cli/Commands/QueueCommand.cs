using System.CommandLine;
using System.Globalization;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch queue</c>: per queue quota, usage, borrowed and waiting; then waiting jobs in the order they will be
/// considered, with why they wait, then running jobs.</summary>
internal static class QueueCommand
{
    public static Command Create(CliConsole console)
    {
        var output = OutputOption.Create();
        var command = new Command("queue", "Show waiting jobs (head first) and running jobs") { output };
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await Connection.OpenAsync(parse, ct);
            var queue = await client.GetQueueAsync(ct);
            if (parse.GetValue(output) is var format && format != OutputFormat.Table)
            {
                Serialized.Write(console.Out, format, queue);
                return 0;
            }

            console.Out.WriteLine($"{queue.FreeDevices}/{queue.TotalDevices} devices free; {queue.Waiting.Count} waiting, {queue.Running.Count} running");
            QueueText.Write(console.Out, queue.Queues ?? [], (await client.GetSchedulingDocumentsAsync(ct)).PriorityClasses);
            Tables.Write(console.Out, ["#", "JOB", "QUEUE", "PRIO", "GPUS", "STATUS"], queue.Waiting.Concat(queue.Running).Select(e => (IReadOnlyList<string>)
            [
                e.Running ? "run" : e.Position.ToString(CultureInfo.InvariantCulture), e.JobId, e.Queue,
                e.Priority.ToString(CultureInfo.InvariantCulture), e.Gpus.ToString(CultureInfo.InvariantCulture), e.Reason,
            ]));
            return 0;
        });
        return command;
    }
}
