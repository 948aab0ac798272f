using System.CommandLine;
using System.Globalization;
using Orchestrator.Cli.Output;
using Orchestrator.Simulation;
using Orchestrator.Simulation.Plots;
using Orchestrator.Simulation.Results;
using Orchestrator.Simulation.Scenarios;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch simulate FILE</c>: runs a <c>kind: Simulation</c> scenario locally in virtual time through the real
/// scheduling code, with a progress bar, then prints a summary table and writes SVG charts of allocation and queue
/// length over time. Needs no daemon.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "Scenario file (kind: Simulation)" };
        var plots = new Option<DirectoryInfo?>("--plots") { Description = "Folder for allocation.svg and queue.svg (default: simulation-NAME in the current folder)" };
        var command = new Command("simulate", "Simulate a scenario (cluster, workload, failures) in virtual time through the real scheduler") { file, plots };
        command.SetAction((parse, ct) =>
        {
            var scenario = ScenarioReader.Load(parse.GetValue(file)!.FullName);
            var terminal = ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected;
            var ansi = terminal ? AnsiConsole.Console : Tables.Console(console.Out);
            SimulationResult? result = null;
            ansi.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask($"simulating {Markup.Escape(scenario.Name)}", maxValue: 1);
                    result = SimulationRunner.Run(scenario, new Progress(task), ct);
                });
            Write(console.Out, result!);
            var folder = parse.GetValue(plots)?.FullName ?? Path.Combine(Environment.CurrentDirectory, $"simulation-{scenario.Name}");
            foreach (var path in SvgChart.Write(result!, folder)) console.Out.WriteLine($"wrote {path}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Write(TextWriter output, SimulationResult r)
    {
        var rows = new List<IReadOnlyList<string>>
        {
            Row("GPUs", r.TotalGpus.ToString(CultureInfo.InvariantCulture)),
            Row("simulated", Hours(r.SimulatedSeconds)),
            Row("jobs submitted / completed / failed / unfinished", $"{r.JobsSubmitted} / {r.JobsCompleted} / {r.JobsFailed} / {r.JobsUnfinished}"),
            Row("JCT mean / p99", $"{Hours(r.MeanJctSeconds)} / {Hours(r.P99JctSeconds)}"),
            Row("queueing delay mean / p99", $"{Hours(r.MeanQueueingSeconds)} / {Hours(r.P99QueueingSeconds)}"),
            Row("makespan", r.MakespanSeconds is { } m ? Hours(m) : "not every job ended"),
            Row("GPU allocation (mean)", Percent(r.MeanAllocation)),
            Row("GPU utilisation (useful work)", Percent(r.Utilisation)),
            Row("fragmentation (free GPUs on partly busy nodes)", Percent(r.MeanFragmentation)),
            Row("goodput (useful / allocated GPU time)", Percent(r.Goodput)),
            Row("device failures / job interruptions / preemptions", $"{r.DeviceFailures} / {r.JobInterruptions} / {r.Preemptions}"),
            Row("scheduling passes", r.SchedulingPasses.ToString(CultureInfo.InvariantCulture)),
        };
        if (r.FairShareMaxDeviation is { } deviation)
        {
            rows.AddRange(r.Fairness.Select(f => Row($"queue {f.Queue}: share / target", $"{Percent(f.Share)} / {Percent(f.Target)}")));
            rows.Add(Row("fair share max deviation / Jain's index", $"{deviation.ToString("F3", CultureInfo.InvariantCulture)} / {r.JainIndex?.ToString("F3", CultureInfo.InvariantCulture)}"));
        }

        Tables.Write(output, ["measure", "value"], rows);
    }

    private static IReadOnlyList<string> Row(string name, string value) => [name, value];

    private static string Hours(double seconds) => $"{(seconds / 3600).ToString("F2", CultureInfo.InvariantCulture)} h";

    private static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    /// <summary>Moves the bar as the run reports the share of virtual time done.</summary>
    private sealed class Progress(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = value;
    }
}
