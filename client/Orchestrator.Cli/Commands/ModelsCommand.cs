using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Client;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch models</c>: the model registry over the lineage graph: the tree, one version, tags, diffs, update
/// cascades, lineage-aware garbage collection and registering external checkpoints.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create(CliConsole console)
    {
        var output = OutputOption.Create();
        var command = new Command("models", "List the model lineage tree: name, version, parent, step, size, unique bytes, latest scores; and storage per family") { output };
        command.SetAction((parse, ct) => WithLineageAsync(parse, ct, [], async (lineage, _) =>
        {
            var registry = await lineage.GetRegistryAsync();
            if (parse.GetValue(output) is var format && format != OutputFormat.Table) Serialized.Write(console.Out, format, registry);
            else ModelsText.WriteTree(console.Out, registry);
        }));
        command.Subcommands.Add(Show(console));
        command.Subcommands.Add(Tag(console));
        command.Subcommands.Add(Diff(console));
        command.Subcommands.Add(Cascade(console));
        command.Subcommands.Add(Collect(console));
        command.Subcommands.Add(Register(console));
        return command;
    }

    private static Command Show(CliConsole console)
    {
        var reference = Reference();
        var output = OutputOption.Create();
        var command = new Command("show", "Show one model version: its checkpoint, parent, edges and latest scores") { reference, output };
        command.SetAction((parse, ct) => WithLineageAsync(parse, ct, [Parsed(parse, reference, "reference")], async (lineage, references) =>
        {
            var version = await lineage.ResolveAsync(references[0]);
            var registry = await lineage.GetRegistryAsync();
            var full = registry.Versions.FirstOrDefault(v => v.Reference == version.Reference) ?? version;
            if (parse.GetValue(output) is var format && format != OutputFormat.Table) Serialized.Write(console.Out, format, full);
            else ModelsText.WriteVersion(console.Out, full, registry.Edges);
        }));
        return command;
    }

    private static Command Tag(CliConsole console)
    {
        var reference = Reference();
        var tag = new Argument<string>("tag") { Description = "Tag to point at the version (moved if it exists), e.g. prod" };
        var command = new Command("tag", "Point a tag of the model at a version; NAME@TAG then names it") { reference, tag };
        command.SetAction((parse, ct) => WithLineageAsync(parse, ct, [Parsed(parse, reference, "reference")], async (lineage, references) =>
        {
            var version = await lineage.TagAsync(references[0], parse.GetValue(tag)!);
            console.Out.WriteLine($"{version.Name}@{parse.GetValue(tag)} -> {version.Reference}");
        }));
        return command;
    }

    private static Command Diff(CliConsole console)
    {
        var first = new Argument<string>("a") { Description = "First version, NAME@VERSION" };
        var second = new Argument<string>("b") { Description = "Second version, NAME@VERSION" };
        var all = new Option<bool>("--all") { Description = "List equal tensors too" };
        var output = OutputOption.Create();
        var command = new Command("diff", "Which tensors differ between two versions: changed bytes and relative L2 norm of the difference") { first, second, all, output };
        command.SetAction((parse, ct) => WithLineageAsync(parse, ct, [Parsed(parse, first, "a"), Parsed(parse, second, "b")], async (lineage, references) =>
        {
            var diff = await lineage.DiffAsync(references[0], references[1]);
            if (parse.GetValue(output) is var format && format != OutputFormat.Table) Serialized.Write(console.Out, format, diff);
            else ModelsText.WriteDiff(console.Out, diff, parse.GetValue(all));
        }));
        return command;
    }

    private static Command Cascade(CliConsole console)
    {
        var reference = Reference();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the plan without submitting anything" };
        var status = new Option<int?>("--status") { Description = "Show the state of a started cascade by number instead" };
        var output = OutputOption.Create();
        var command = new Command("cascade", "Re-derive the descendants of the version NAME@VERSION supersedes: their jobs re-run from it in dependency order") { reference, dryRun, status, output };
        command.SetAction((parse, ct) => WithLineageAsync(parse, ct, [Parsed(parse, reference, "reference")], async (lineage, references) =>
        {
            var plan = parse.GetValue(status) is { } id ? await lineage.GetCascadeAsync(id)
                : parse.GetValue(dryRun) ? await lineage.PlanCascadeAsync(references[0])
                : await lineage.StartCascadeAsync(references[0]);
            if (parse.GetValue(output) is var format && format != OutputFormat.Table) Serialized.Write(console.Out, format, plan);
            else ModelsText.WriteCascade(console.Out, plan);
        }));
        return command;
    }

    private static Command Collect(CliConsole console)
    {
        var command = new Command("gc", "Free checkpoints the lineage graph does not reference (of finished jobs) and the chunks only they used");
        command.SetAction((parse, ct) => WithLineageAsync(parse, ct, [], async (lineage, _) =>
        {
            var collected = await lineage.CollectGarbageAsync();
            console.Out.WriteLine($"kept {collected.VersionsKept} model version(s); removed {collected.CheckpointsDeleted} checkpoint(s) and {collected.ChunksDeleted} chunk(s), freeing {JobText.Size(collected.FreedBytes)}");
        }));
        return command;
    }

    private static Command Register(CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "Model name; the checkpoint becomes its next version" };
        var job = new Argument<string>("job") { Description = "The job directory in the checkpoint store" };
        var step = new Argument<long>("step") { Description = "The checkpoint's step" };
        var attempt = new Option<int>("--attempt") { Description = "The attempt that saved it", DefaultValueFactory = _ => 1 };
        var command = new Command("register", "Register a checkpoint already in the store (made outside the orchestrator) as a model version") { name, job, step, attempt };
        command.SetAction((parse, ct) => WithLineageAsync(parse, ct, [], async (lineage, _) =>
        {
            var version = await lineage.RegisterExternalAsync(parse.GetValue(name)!, parse.GetValue(job)!, parse.GetValue(step), parse.GetValue(attempt));
            console.Out.WriteLine($"registered {version.Reference} ({JobText.Size(version.LogicalBytes)}, layout {version.Layout})");
        }));
        return command;
    }

    private static Argument<string> Reference() => new("reference") { Description = "Model version, NAME@VERSION (a number, a tag or latest)" };

    /// <summary>Refuses a malformed reference here, before connecting, naming the argument.</summary>
    private static string Parsed(ParseResult parse, Argument<string> argument, string name) => ModelReference.Parse(parse.GetValue(argument), name).ToString();

    /// <param name="references">The command's references, parsed before connecting so a malformed one is refused with no daemon running.</param>
    private static async Task<int> WithLineageAsync(ParseResult parse, CancellationToken ct, string[] references, Func<ILineageGrain, string[], Task> action)
    {
        await using OrchestratorClient client = await Connection.OpenAsync(parse, ct);
        await action(client.Grains.GetGrain<ILineageGrain>("default"), references);
        return 0;
    }
}
