using System.CommandLine;
using Orchestrator.Client;

namespace Orchestrator.Cli;

/// <summary>Connects to the control plane named by the global options, failing fast when nothing answers.</summary>
internal static class Connection
{
    public static async Task<OrchestratorClient> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var options = GlobalOptions.ClientOptions(parse);
        if (options.RedisConnection is null && !await AnyAnswersAsync(options.Gateways, cancellationToken))
            throw new InvalidOperationException(
                $"no control plane answers at {string.Join(", ", options.Gateways)}; start one with 'orch up', or use 'orch run' which starts one in-process");
        return await OrchestratorClient.ConnectAsync(options, cancellationToken);
    }

    public static async Task<bool> AnyAnswersAsync(IEnumerable<string> gateways, CancellationToken cancellationToken)
    {
        foreach (var gateway in gateways)
        {
            if (await GatewayAddress.AnswersAsync(GatewayAddress.Parse(gateway), TimeSpan.FromSeconds(2), cancellationToken)) return true;
        }

        return false;
    }
}
