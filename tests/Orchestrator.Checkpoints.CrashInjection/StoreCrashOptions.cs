namespace Orchestrator.Checkpoints.CrashInjection;

/// <summary>How <see cref="StoreCrashInjection"/> runs.</summary>
/// <param name="Scratch">A directory for the stores (one per crash, removed after).</param>
/// <param name="CrashPoints">Crashes made in this process at random points of the script (the process behaves as dead from there).</param>
/// <param name="Kills">Further crashes by a real SIGKILL of a child process at a random point.</param>
/// <param name="Seed">Chooses the points and the checkpoint contents.</param>
public sealed record StoreCrashOptions(string Scratch, int CrashPoints = 200, int Kills = 8, int Seed = 1)
{
    /// <summary>Refuses values that cannot work, naming the field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Scratch)) throw new ArgumentException("Scratch must be a directory path", nameof(Scratch));
        if (CrashPoints < 0) throw new ArgumentException($"CrashPoints must be 0 or more, got {CrashPoints}", nameof(CrashPoints));
        if (Kills < 0) throw new ArgumentException($"Kills must be 0 or more, got {Kills}", nameof(Kills));
    }
}
