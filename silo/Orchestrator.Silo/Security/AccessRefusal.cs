namespace Orchestrator.Silo.Security;

/// <summary>Why a call was refused: the metric's bounded reason label and the caller's message.</summary>
/// <param name="Reason"><c>unauthenticated</c>, <c>forbidden</c>, <c>internal_only</c> or <c>invalid_id</c>.</param>
/// <param name="Message">What was refused and what would be allowed.</param>
internal sealed record AccessRefusal(string Reason, string Message)
{
    public bool Authenticated => Reason != "unauthenticated";
}
