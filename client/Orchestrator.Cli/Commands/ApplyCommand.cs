using System.CommandLine;
using Orchestrator.Client.Specs;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch apply FILE</c>: store Queue and PriorityClass documents (admin); prints one line per document.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "YAML file of Queue and PriorityClass documents, separated by ---" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only validate the file; send nothing" };
        var command = new Command("apply", "Create or update queues (quotas, cohort, fair-share weight) and priority classes") { file, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            var documents = await SchedulingDocumentLoader.LoadAsync(parse.GetValue(file)!, ct);
            if (parse.GetValue(dryRun))
            {
                foreach (var queue in documents.Queues) console.Out.WriteLine($"queue/{queue.Name} valid (dry run)");
                foreach (var priorityClass in documents.PriorityClasses) console.Out.WriteLine($"priorityclass/{priorityClass.Name} valid (dry run)");
                return 0;
            }

            await using var client = await Connection.OpenAsync(parse, ct);
            foreach (var line in await client.ApplyAsync(documents, ct)) console.Out.WriteLine(line);
            return 0;
        });
        return command;
    }
}
