using System.CommandLine;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch fault JOB [--rank N | --device ID]</c>: a failure drill; the device is marked failed and the job recovers.</summary>
internal static class FaultCommand
{
    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("job") { Description = "Job id" };
        var rank = new Option<int?>("--rank") { Description = "Fail the device hosting this rank of the running attempt (default 0)" };
        var device = new Option<string?>("--device") { Description = "Fail this device (node/index) instead" };
        var command = new Command("fault", "Failure drill: mark a device of a running job failed, as a dead GPU would be") { id, rank, device };
        command.SetAction(async (parse, ct) =>
        {
            await using var client = await Connection.OpenAsync(parse, ct);
            var failed = await client.InjectDeviceFailureAsync(parse.GetValue(id)!, parse.GetValue(rank), parse.GetValue(device), ct);
            console.Out.WriteLine($"marked {failed} failed; the job's attempt ends and it recovers on other devices");
            return 0;
        });
        return command;
    }
}
