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
/// <param name="Attention">Grouped-query attention and FlashAttention; null for the defaults.</param>
/// <param name="Activation">Feed-forward activation, <c>gelu</c> or <c>swiglu</c>; null for gelu.</param>
/// <param name="UntiedEmbeddings">The output layer has its own weights instead of sharing the input embedding's.</param>
/// <param name="Precision">Number format of the matrix multiplications, <c>bf16</c>, <c>fp16</c> or <c>fp8</c>; null for bf16.</param>
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
    [property: Id(20)] AttentionSpec? Attention = null,
    [property: Id(21)] string? Activation = null,
    [property: Id(22)] bool UntiedEmbeddings = false,
    [property: Id(23)] string? Precision = null,
    [property: Id(8)] string? From = null)
{
    /// <summary>Feed-forward activations the planner knows.</summary>
    public static IReadOnlyList<string> Activations { get; } = ["gelu", "swiglu"];

    /// <summary>Number formats the planner knows.</summary>
    public static IReadOnlyList<string> Precisions { get; } = ["bf16", "fp16", "fp8"];

    /// <summary>
    /// The feed-forward size actually used: <see cref="Ffn"/>, else what the activation implies (4 x hidden for
    /// gelu; for swiglu 8/3 x hidden rounded up to a multiple of 256, as Llama sizes it).
    /// </summary>
    public int FfnSize => Ffn ?? (Activation == "swiglu" ? (int)((8L * Hidden / 3 + 255) / 256 * 256) : 4 * Hidden);
}
