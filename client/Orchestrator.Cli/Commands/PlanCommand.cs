using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Planning.Reports;
using Orchestrator.Planning.Search;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch plan</c>: the planner's best layout and the next alternatives for a model on a number of devices (or a
/// described cluster), as a table or as one JSON object. Exits non-zero when the input is bad or nothing fits.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new PlanOptions();
        var output = OutputOption.Create();
        var command = new Command("plan", "Choose a parallel layout for a model from the performance and memory model") { options.File, output };
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var request = await options.RequestAsync(parse, ct);
            PlanningResult result;
            try
            {
                result = LayoutSearch.Search(request);
            }
            catch (PlanningException e)
            {
                console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }

            if (parse.GetValue(output) == OutputFormat.Table) console.Out.Write(PlanTable.Render(result));
            else if (parse.GetValue(output) == OutputFormat.Json) console.Out.WriteLine(PlanJson.Write(result));
            else Serialized.WriteJsonText(console.Out, OutputFormat.Yaml, PlanJson.Write(result));
            return 0;
        });
        return command;
    }
}
