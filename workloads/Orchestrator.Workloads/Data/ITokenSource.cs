namespace Orchestrator.Workloads.Data;

/// <summary>
/// Where training tokens come from. A sample is addressed by (step, index within the global batch), so a loader
/// resumed at step s produces exactly what an uninterrupted run would have, on any layout.
/// </summary>
internal interface ITokenSource
{
    /// <summary>Token ids are in [0, VocabularySize).</summary>
    int VocabularySize { get; }

    /// <summary>Fills <paramref name="tokens"/> (sequence length + 1: inputs and the next-token targets) for one sample.</summary>
    void Fill(long step, int sampleIndex, Span<long> tokens);
}
