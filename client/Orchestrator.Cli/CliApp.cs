using System.CommandLine;
using Orchestrator.Cli.Commands;

namespace Orchestrator.Cli;

/// <summary>The <c>orch</c> command tree. Writers are parameters so tests run commands in-process.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand("orch: run and watch large-model training jobs on an Orchestrator cluster");
        foreach (var option in GlobalOptions.All) root.Options.Add(option);
        root.Subcommands.Add(UpCommand.Create(console));
        root.Subcommands.Add(RunCommand.Create(console));
        root.Subcommands.Add(SubmitCommand.Create(console));
        root.Subcommands.Add(JobsCommand.Create(console));
        root.Subcommands.Add(JobCommand.Create(console));
        root.Subcommands.Add(WatchCommand.Create(console));
        root.Subcommands.Add(CancelCommand.Create(console));
        root.Subcommands.Add(JobActionCommands.Suspend(console));
        root.Subcommands.Add(JobActionCommands.Resume(console));
        root.Subcommands.Add(DeleteCommand.Create(console));
        root.Subcommands.Add(LogsCommand.Create(console));
        root.Subcommands.Add(ClusterCommand.Create(console));
        root.Subcommands.Add(QueueCommand.Create(console));
        root.Subcommands.Add(ApplyCommand.Create(console));
        root.Subcommands.Add(PlanCommand.Create(console));
        root.Subcommands.Add(CheckpointsCommand.Create(console));
        root.Subcommands.Add(ModelsCommand.Create(console));
        root.Subcommands.Add(FaultCommand.Create(console));
        root.Subcommands.Add(EvalRuntimeCommand.Create(console));
        root.Subcommands.Add(ResultsCommand.Create(console));
        root.Subcommands.Add(TokenCommand.Create(console));
        root.Subcommands.Add(SimulateCommand.Create(console));
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return console.Fail(e, parse.GetValue(GlobalOptions.Verbose));
        }
    }
}
