namespace Orchestrator.Contracts.Jobs;

/// <summary>The model to train: a GPT-style decoder, dense or Mixture-of-Experts.</summary>
/// <param name="Family">Model family; <c>gpt</c>.</param>
/// <param name="Layers">Transformer layers.</param>
/// <param name="Hidden">Hidden size.</param>
/// <param name="Heads">Attention heads; must divide <see cref="Hidden"/>.</param>
/// <param name="SequenceLength">Tokens per sample.</param>
/// <param name="Vocabulary">Vocabulary size (the spec also accepts the name <c>gpt2</c>, 50,257 tokens).</param>
/// <param name="Ffn">Feed-forward size; 4 x hidden when not given.</param>
/// <param name="Moe">Mixture-of-Experts layers, or null for a dense model.</param>
/// <param name="From">A registered model version to start from, <c>NAME@VERSION</c> (restored and resharded to this
/// job's layout like any checkpoint), or null to start from initial weights.</param>
[GenerateSerializer, Immutable]
public sealed record ModelSpec(
    [property: Id(0)] string Family,
    [property: Id(1)] int Layers,
    [property: Id(2)] int Hidden,
    [property: Id(3)] int Heads,
    [property: Id(4)] int SequenceLength,
    [property: Id(5)] int Vocabulary,
    [property: Id(6)] int? Ffn = null,
    [property: Id(7)] MixtureOfExpertsSpec? Moe = null,
    [property: Id(8)] string? From = null)
{
    /// <summary>The feed-forward size actually used.</summary>
    public int FfnSize => Ffn ?? 4 * Hidden;
}
