using System.CommandLine;
using Orchestrator.Client;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Cli;

/// <summary>Options every command understands.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string[]> Gateway = new("--gateway")
    {
        Description = $"Gateway address host:port of the control plane (repeatable; default {OrchestratorClientOptions.DefaultGateway})",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<string?> Redis = new("--redis")
    {
        Description = "Redis connection string of a Redis-mode cluster (gateways are then discovered)",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Show stack traces of errors",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "API token for a control plane that requires one (default $ORCH_TOKEN)",
        Recursive = true,
    };

    // Generous for a loaded control plane; a plain client at a TLS gateway would otherwise wait for ever.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    public static IReadOnlyList<Option> All { get; } = [Gateway, Redis, Token, Verbose, .. TransportFlags.All];

    public static OrchestratorClientOptions ClientOptions(ParseResult parse)
    {
        var gateways = parse.GetValue(Gateway) is { Length: > 0 } given ? given : [OrchestratorClientOptions.DefaultGateway];
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable(CredentialKeys.TokenEnvironment);
        return new OrchestratorClientOptions
        {
            Gateways = gateways, RedisConnection = parse.GetValue(Redis), Token = string.IsNullOrEmpty(token) ? null : token, Tls = TransportFlags.Client(parse),
            ConnectTimeout = ConnectTimeout,
        };
    }
}
