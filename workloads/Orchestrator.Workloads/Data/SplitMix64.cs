namespace Orchestrator.Workloads.Data;

/// <summary>
/// A tiny, fully specified random generator (Steele, Lea and Flood's SplitMix64), so synthetic data does not change
/// if the runtime's <see cref="Random"/> algorithm does.
/// </summary>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound); the modulo bias is far below what training could notice for small bounds.</summary>
    public int NextInt(int bound) => (int)(Next() % (ulong)bound);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A seed derived from several values, so neighbouring (step, index) pairs get unrelated streams.</summary>
    public static ulong Combine(ulong a, ulong b, ulong c)
    {
        var mix = new SplitMix64(a);
        mix._state ^= new SplitMix64(b ^ 0xD1B54A32D192ED03UL).Next();
        mix._state ^= new SplitMix64(c ^ 0x8CB92BA72F3D8DD7UL).Next() * 31;
        return mix.Next();
    }
}
