namespace Orchestrator.Checkpoints.CrashInjection;

/// <summary>What <see cref="StoreLockContention.RunAsync"/> saw.</summary>
/// <param name="Saves">Checkpoints the saving process committed and verified.</param>
/// <param name="Collections">Garbage collections the collecting process ran meanwhile.</param>
/// <param name="CollectedChunks">Chunks those collections removed (0 would mean they never raced the saves).</param>
/// <param name="ReusedChunks">Chunks the saves reused instead of writing: the ones a collection was about to remove.</param>
/// <param name="Problems">Lost chunks and failures, in words; empty when nothing was lost.</param>
public sealed record LockContentionReport(int Saves, int Collections, long CollectedChunks, long ReusedChunks, IReadOnlyList<string> Problems);
