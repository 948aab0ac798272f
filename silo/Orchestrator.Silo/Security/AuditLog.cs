using Microsoft.Extensions.Logging;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Who did what, as structured log events (category <c>Orchestrator.Audit</c>): accepted calls of audited methods
/// (submit, cancel, cordon, fault drills, inventory), every refused call, and each token's first use by this silo.
/// Never the token itself: its id.
/// </summary>
internal sealed partial class AuditLog(ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Orchestrator.Audit");

    public void Accepted(Principal? caller, string method, string target) =>
        LogAccepted(caller?.User ?? "anonymous", Role(caller), method, target);

    public void Refused(Principal? caller, string method, string target, string reason) =>
        LogRefused(caller?.User ?? "anonymous", Role(caller), method, target, reason);

    public void TokenUsed(Principal caller) => LogTokenUsed(caller.User, Role(caller), caller.TokenId ?? "");

    private static string Role(Principal? caller) => caller?.Role?.ToString().ToLowerInvariant() ?? (caller?.Worker is null ? "none" : "worker");

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "audit: {User} ({Role}) {Method} on {Target}: accepted")]
    private partial void LogAccepted(string user, string role, string method, string target);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "audit: {User} ({Role}) {Method} on {Target}: refused ({Reason})")]
    private partial void LogRefused(string user, string role, string method, string target, string reason);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "audit: token {TokenId} of {User} ({Role}) used for the first time since this silo started")]
    private partial void LogTokenUsed(string user, string role, string tokenId);
}
