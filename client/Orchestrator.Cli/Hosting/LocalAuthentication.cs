using Orchestrator.Contracts.Security;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Security;

namespace Orchestrator.Cli.Hosting;

/// <summary>
/// Authentication for the daemon <c>orch run</c> starts in its own process: one admin token for the local user, made
/// in memory for this run (nothing at rest) and given only to this process's client. Workers get attempt secrets as
/// with any daemon. <c>file:</c> data sources (and evaluation scenarios) may read under the current folder and the
/// folder of the document being run.
/// </summary>
internal static class LocalAuthentication
{
    /// <summary>Turns authentication on in <paramref name="options"/>; returns the local user's token.</summary>
    public static string Secure(OrchestratorSiloOptions options, string documentPath)
    {
        var (token, entry) = AuthFile.NewToken(Environment.UserName, Role.Admin, [], DateTimeOffset.UtcNow);
        options.Security.Document = AuthFile.Empty() with { Tokens = [entry] };
        options.Security.DataRoots = [Environment.CurrentDirectory, Path.GetDirectoryName(Path.GetFullPath(documentPath))!];
        return token;
    }
}
