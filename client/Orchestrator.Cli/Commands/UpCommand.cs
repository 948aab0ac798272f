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
            var configuration = daemon.Configuration(parse);
            var options = daemon.Read(parse, configuration);
            using var host = await Daemon.StartAsync(options, LogLevel.Information, ct, configuration, daemon.ReadKubernetes(parse, options));
            console.Out.WriteLine($"orchestrator daemon up: {options.Mode} mode, {options.Backend} backend, gateway {options.AdvertisedAddress}:{options.GatewayPort}{(options.Tls.Enabled ? options.Tls.RequireClientCertificate ? " (mutual TLS)" : " (TLS)" : "")}, " +
                $"metrics {(options.MetricsPort > 0 ? $"http://{options.MetricsHost}:{options.MetricsPort}/metrics" : "off")}, data {options.DataDirectory}");
            // SIGTERM (how Kubernetes stops a pod) reaches the host's console lifetime, which cancels the signal's
            // default and asks the host to stop; Ctrl-C cancels ct. Either one ends the wait and leaves the cluster cleanly.
            await host.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
