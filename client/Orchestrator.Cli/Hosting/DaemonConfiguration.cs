using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Cli.Hosting;

/// <summary>
/// The daemon's configuration: an optional JSON file (<c>--config</c>), then environment variables
/// (<c>Orchestrator__Section__Key</c>, the standard double-underscore mapping), then explicit <c>orch up</c> flags,
/// each overriding the one before. The same configuration reaches every options section the silo binds
/// (<c>Orchestrator:Supervision</c>, <c>Orchestrator:Scheduler</c>, <c>Orchestrator:Kubernetes</c>, ...).
/// </summary>
internal static class DaemonConfiguration
{
    /// <summary>The section <see cref="OrchestratorSiloOptions"/> binds from.</summary>
    public const string Section = "Orchestrator";

    /// <exception cref="ArgumentException">The file is missing or is not valid JSON; the message names it.</exception>
    public static IConfigurationRoot Load(string? file)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path)) throw new ArgumentException($"--config: file '{file}' does not exist");
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"--config: '{file}' is not valid JSON: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    /// <summary>The silo options from the <c>Orchestrator</c> section, over <paramref name="defaults"/>.</summary>
    /// <exception cref="ArgumentException">A value does not convert; the message names the key and its type.</exception>
    public static OrchestratorSiloOptions Bind(IConfiguration configuration, OrchestratorSiloOptions defaults)
    {
        try
        {
            configuration.GetSection(Section).Bind(defaults);
            return defaults;
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"configuration: {e.Message}", e);
        }
    }

    /// <summary>True when <paramref name="option"/> was written on the command line (not filled in by its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
