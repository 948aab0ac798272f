using System.Globalization;
using Orchestrator.Client;

namespace Orchestrator.Cli.Output;

/// <summary>The unfinished jobs that are not in the scheduler's queue (suspended, waiting for dependencies), for <c>orch queue</c>.</summary>
internal static class HeldJobs
{
    public static async Task WriteAsync(TextWriter output, OrchestratorClient client, CancellationToken cancellationToken)
    {
        var held = (await client.ListAsync(cancellationToken)).Where(j => j.Held is not null).ToList();
        if (held.Count == 0) return;
        output.WriteLine();
        output.WriteLine($"{held.Count} held (not queued)");
        Tables.Write(output, ["JOB", "STATE", "QUEUE", "PRIO", "GPUS", "STATUS"], held.Select(j => (IReadOnlyList<string>)
        [
            j.Id, j.State.ToString(), j.Queue, j.Priority.ToString(CultureInfo.InvariantCulture), j.Gpus.ToString(CultureInfo.InvariantCulture), j.Held!,
        ]));
    }
}
