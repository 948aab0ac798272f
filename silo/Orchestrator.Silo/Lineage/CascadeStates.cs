namespace Orchestrator.Silo.Lineage;

/// <summary>The states a cascade step passes through, as shown by <c>orch models cascade</c>.</summary>
internal static class CascadeStates
{
    public const string Planned = "planned";
    public const string Waiting = "waiting";
    public const string Submitted = "submitted";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}
