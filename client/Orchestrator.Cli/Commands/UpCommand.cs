using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Cli.Hosting;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch up</c>: run the daemon in the foreground until interrupted.</summary>
internal static class UpCommand
{
    public static Command Create(CliConsole console)
    {
        var daemon = new DaemonOptions();
        var command = new Command("up", "Run the control-plane daemon in the foreground (Ctrl-C stops it)");
        foreach (var option in daemon.All) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var options = daemon.Read(parse);
            using var host = await Daemon.StartAsync(options, LogLevel.Information, ct, daemon.ReadKubernetes(parse));
            console.Out.WriteLine($"orchestrator daemon up: {options.Mode} mode, {options.Backend} backend, gateway {options.AdvertisedAddress}:{options.GatewayPort}, " +
                $"metrics {(options.MetricsPort > 0 ? $"http://{options.MetricsHost}:{options.MetricsPort}/metrics" : "off")}, data {options.DataDirectory}");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop gracefully below.
            }

            await host.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
