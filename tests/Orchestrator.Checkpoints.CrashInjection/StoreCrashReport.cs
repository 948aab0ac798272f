namespace Orchestrator.Checkpoints.CrashInjection;

/// <summary>What <see cref="StoreCrashInjection.RunAsync"/> found.</summary>
/// <param name="CrashPoints">Crashes injected, in process and by SIGKILL (the chaos suite's <c>store_crash_points</c>).</param>
/// <param name="Kills">Of them, real SIGKILLs of a child process.</param>
/// <param name="Unrestorable">Crashes after which the newest committed checkpoint did not restore with its saved bytes (<c>store_unrestorable</c>; target 0).</param>
/// <param name="MissingChunks">Chunks named by a committed manifest but not stored, over all crashes (target 0).</param>
/// <param name="NotReusable">Crashes after which a new process could not save and collect in the store (target 0).</param>
/// <param name="ChangesInScript">Changes to the store's files in one run of the script: the points crashes are drawn from.</param>
/// <param name="ByPhase">Crashes per "phase/change", e.g. "save/Rename" or "collect/Delete".</param>
/// <param name="Problems">Every finding in words (empty when all crashes were survived).</param>
/// <param name="Elapsed">Wall time of the whole run.</param>
public sealed record StoreCrashReport(
    int CrashPoints,
    int Kills,
    int Unrestorable,
    int MissingChunks,
    int NotReusable,
    long ChangesInScript,
    IReadOnlyDictionary<string, int> ByPhase,
    IReadOnlyList<string> Problems,
    TimeSpan Elapsed);
