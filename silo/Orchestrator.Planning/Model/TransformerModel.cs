namespace Orchestrator.Planning.Model;

/// <summary>
/// A GPT-style decoder (Megatron-LM's GPT): pre-LayerNorm blocks with biases, optionally grouped-query attention,
/// FlashAttention, a SwiGLU feed-forward block, an untied output layer and Mixture-of-Experts feed-forward blocks.
/// </summary>
/// <param name="Layers">Transformer layers (l).</param>
/// <param name="Hidden">Hidden size (h).</param>
/// <param name="Heads">Attention (query) heads (a); must divide <paramref name="Hidden"/>.</param>
/// <param name="SequenceLength">Tokens per sequence (s).</param>
/// <param name="Vocabulary">Vocabulary size before padding (V); see <see cref="PaddedVocabulary"/>.</param>
/// <param name="QueryGroups">Key/value head groups for grouped-query attention; null for ordinary multi-head attention.</param>
/// <param name="FfnHidden">Feed-forward hidden size; null for what the activation implies (4·h for GeLU, 8h/3 rounded up to a multiple of 256 for SwiGLU).</param>
/// <param name="Moe">Mixture-of-Experts description; null for a dense model.</param>
/// <param name="Precision">Number format of the matrix multiplications.</param>
/// <param name="FlashAttention">
/// The attention core runs as one fused kernel (FlashAttention) that never writes the a·s² scores to memory; false
/// for Megatron-LM's unfused softmax path, which the published measurements of 2021–2022 used; null for current
/// practice on the device (<see cref="Hardware.GpuModel.RunsFlashAttention"/>), see <see cref="ResolvedFor"/>.
/// </param>
/// <param name="Activation">Feed-forward activation: GeLU (two matrices) or SwiGLU (three).</param>
/// <param name="UntiedEmbeddings">The output layer has its own weights instead of sharing the input embedding's.</param>
/// <param name="HeadDimension">
/// Size of one attention head when it is not h/a (Qwen3 and GPT-OSS set it apart from the hidden size, so the queries
/// are a·d wide); null for h/a. The activation-memory terms keep Korthikanti's h-based counts either way.
/// </param>
/// <param name="Dropout">
/// Hidden (and attention) dropout is on, as in the 2021–2022 GPT runs; false for models trained without it (Llama,
/// Nemotron, NeMo's GPT-3 175B: probability 0), which keep no dropout masks (PyTorch returns its input unchanged for
/// p = 0) and whose residual adds write none.
/// </param>
/// <param name="RotaryEmbeddings">
/// Positions enter as rotary embeddings applied to queries and keys in every layer (Llama, Nemotron: one fused kernel
/// forward and one backward per layer) instead of learned absolute embeddings added once at the input.
/// </param>
/// <param name="SlidingWindow">
/// Tokens each query attends back to (itself included) in the layers with sliding-window attention; null when every
/// layer attends to the whole causal prefix.
/// </param>
/// <param name="SlidingWindowEvery">Every how many layers one uses the sliding window (1 = all; GPT-OSS alternates: 2).</param>
/// <param name="Fp8CurrentScaling">
/// FP8 with per-tensor current scaling (Transformer Engine's <c>Float8CurrentScaling</c>, "FP8-CS"): every cast first
/// reads its input for the amax; false for delayed scaling, whose amax comes from the history.
/// </param>
public sealed record TransformerModel(
    int Layers,
    int Hidden,
    int Heads,
    int SequenceLength,
    int Vocabulary,
    int? QueryGroups = null,
    int? FfnHidden = null,
    MoeDescription? Moe = null,
    Precision Precision = Precision.Bf16,
    bool? FlashAttention = null,
    FfnActivation Activation = FfnActivation.Gelu,
    bool UntiedEmbeddings = false,
    int? HeadDimension = null,
    bool Dropout = true,
    bool RotaryEmbeddings = false,
    int? SlidingWindow = null,
    int SlidingWindowEvery = 1,
    bool Fp8CurrentScaling = false)
{
    /// <summary>Vocabulary size of the GPT-2 BPE (what <c>vocabulary: gpt2</c> means in a job spec).</summary>
    public const int Gpt2Vocabulary = 50257;

    /// <summary>Megatron pads the vocabulary to a multiple of this number times the tensor-parallel size (<c>--make-vocab-size-divisible-by</c>).</summary>
    public const int VocabularyPaddingMultiple = 128;

    /// <summary>Longest sequence the planner describes (128K tokens).</summary>
    public const int MaxSequenceLength = 131072;

    /// <summary>Bytes of one weight or activation element: everything is kept in 16 bits (FP8 only inside the GEMMs).</summary>
    public const int ElementBytes = 2;

    /// <summary>
    /// Largest head dimension a fused attention kernel takes (FlashAttention-2 and -3 and cuDNN's fused attention on
    /// Hopper support head sizes up to 256).
    /// </summary>
    public const int MaxFusedAttentionHeadDimension = 256;

    /// <summary>SwiGLU's implied FFN size is rounded up to a multiple of this (Llama's <c>multiple_of</c>).</summary>
    public const int SwigluFfnMultiple = 256;

    /// <summary>Feed-forward hidden size actually used: <see cref="FfnHidden"/> or <see cref="ImpliedFfn"/>.</summary>
    public int Ffn => FfnHidden ?? ImpliedFfn(Hidden, Activation);

    /// <summary>
    /// The FFN size an activation implies: 4·h for GeLU; for SwiGLU two thirds of that (same parameters with a third
    /// matrix), rounded up to a multiple of 256 as Llama rounds it (h = 4096 gives 11008).
    /// </summary>
    public static int ImpliedFfn(int hidden, FfnActivation activation) => activation == FfnActivation.Swiglu
        ? (int)((8L * hidden / 3 + SwigluFfnMultiple - 1) / SwigluFfnMultiple * SwigluFfnMultiple)
        : 4 * hidden;

    /// <summary>Matrices of the size h × f in one feed-forward block: 2 for GeLU, 3 for SwiGLU.</summary>
    public int FfnMatrices => Activation == FfnActivation.Swiglu ? 3 : 2;

    /// <summary>Whether the fused attention kernel is used (an unresolved null counts as the unfused path).</summary>
    internal bool Flash => FlashAttention == true;

    /// <summary>The model with every "current practice" default (null) settled for <paramref name="gpu"/>.</summary>
    public TransformerModel ResolvedFor(Hardware.GpuModel gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return FlashAttention is null ? this with { FlashAttention = gpu.RunsFlashAttention } : this;
    }

    /// <summary>Key/value groups actually used: <see cref="QueryGroups"/> or one per head.</summary>
    public int KeyValueGroups => QueryGroups ?? Heads;

    /// <summary>Size of one attention head: <see cref="HeadDimension"/>, or h/a.</summary>
    public int HeadSize => HeadDimension ?? Hidden / Heads;

    /// <summary>Number of layers with sliding-window attention (Layers / <see cref="SlidingWindowEvery"/>), 0 without a window.</summary>
    public int WindowedLayers => SlidingWindow is null || SlidingWindowEvery < 1 ? 0 : Layers / SlidingWindowEvery;

    /// <summary>Keys a query attends to within the sliding window, averaged over a sequence's queries.</summary>
    private double WindowKeysPerQuery
    {
        get
        {
            double s = SequenceLength, w = Math.Min(SlidingWindow ?? SequenceLength, SequenceLength);
            return w - w * (w - 1) / (2 * s);
        }
    }

    /// <summary>Width of all query heads together (a·head size; h unless the head size is set apart).</summary>
    public long AttentionWidth => (long)Heads * HeadSize;

    /// <summary>Output width of the fused QKV projection: a·head size for queries plus 2·groups·head size for keys and values.</summary>
    public long QkvWidth => AttentionWidth + 2L * KeyValueGroups * HeadSize;

    /// <summary>Feed-forward hidden size of one expert.</summary>
    public int ExpertFfn => Moe?.ExpertFfnHidden ?? Ffn;

    /// <summary>Number of layers whose feed-forward block is an MoE block.</summary>
    public int MoeLayers => Moe?.MoeLayerCount(Layers) ?? 0;

    /// <summary>Vocabulary padded as Megatron pads it: up to a multiple of 128·tensor so the output layer splits evenly.</summary>
    /// <param name="tensorParallelSize">Tensor-parallel size the model is split over.</param>
    public int PaddedVocabulary(int tensorParallelSize = 1)
    {
        var multiple = VocabularyPaddingMultiple * Math.Max(1, tensorParallelSize);
        return (Vocabulary + multiple - 1) / multiple * multiple;
    }

    /// <summary>Parameters of the attention block and the two LayerNorms of one layer (weights and biases).</summary>
    public double AttentionAndNormParameters =>
        (double)Hidden * QkvWidth + QkvWidth + (double)AttentionWidth * Hidden + Hidden + 4.0 * Hidden;

    /// <summary>Parameters of one dense feed-forward block (two or three matrices and their biases).</summary>
    public double DenseFfnParameters => (double)FfnMatrices * Hidden * Ffn + (FfnMatrices - 1.0) * Ffn + Hidden;

    /// <summary>Parameters of one expert's feed-forward block.</summary>
    public double ExpertParameters => (double)FfnMatrices * Hidden * ExpertFfn + (FfnMatrices - 1.0) * ExpertFfn + Hidden;

    /// <summary>Parameters of one MoE block: all experts plus the router.</summary>
    public double MoeBlockParameters => Moe is null ? 0 : Moe.Experts * ExpertParameters + (double)Hidden * Moe.Experts;

    /// <summary>Word and position embeddings, the output layer when untied, and the final LayerNorm.</summary>
    public double EmbeddingParameters =>
        (UntiedEmbeddings ? 2.0 : 1.0) * PaddedVocabulary() * Hidden + (double)SequenceLength * Hidden + 2.0 * Hidden;

    /// <summary>Total parameters, counting every expert.</summary>
    public double ParameterCount() =>
        Layers * AttentionAndNormParameters + (Layers - MoeLayers) * DenseFfnParameters + MoeLayers * MoeBlockParameters + EmbeddingParameters;

    /// <summary>Forward-pass FLOPs of one sequence's transformer layers, counting top-k experts per token.</summary>
    /// <param name="attentionCoreOnly">Only the attention core (QKᵀ and attention over V), the part selective recomputation reruns.</param>
    /// <param name="causalAttention">Count only the score blocks a causal mask keeps (half), as some publications do; Megatron counts all.</param>
    public double LayerForwardFlopsPerSequence(bool attentionCoreOnly = false, bool causalAttention = false)
    {
        double s = SequenceLength, h = Hidden, width = AttentionWidth;
        // Windowed layers count the pairs inside the window (causal by construction) whichever way full layers count.
        var fullCore = (causalAttention ? 2.0 : 4.0) * s * s * width;
        var windowedShare = Layers < 1 ? 0 : WindowedLayers / (double)Layers;
        var core = (1 - windowedShare) * fullCore + windowedShare * 4.0 * s * WindowKeysPerQuery * width;
        if (attentionCoreOnly) return Layers * core;
        var attention = 2.0 * s * h * QkvWidth + 2.0 * s * width * h + core;
        var denseFfn = 2.0 * FfnMatrices * s * h * Ffn;
        var moeFfn = Moe is null ? 0 : 2.0 * FfnMatrices * s * h * ExpertFfn * Moe.TopK + 2.0 * s * h * Moe.Experts;
        return Layers * attention + (Layers - MoeLayers) * denseFfn + MoeLayers * moeFfn;
    }

    /// <summary>Forward-pass FLOPs of one sequence's output layer (logits over the unpadded vocabulary, as the papers count).</summary>
    public double LogitForwardFlopsPerSequence => 2.0 * SequenceLength * Hidden * Vocabulary;

    /// <summary>
    /// FLOPs of one iteration counting forward and backward only (model FLOPs); for a dense GPT this is
    /// 72·B·s·l·h²·(1 + s/6h + V/12lh).
    /// </summary>
    /// <param name="globalBatch">Sequences per iteration.</param>
    /// <param name="causalAttention">Count only the attention score blocks a causal mask keeps.</param>
    public double ModelFlopsPerIteration(int globalBatch, bool causalAttention = false) =>
        3.0 * globalBatch * (LayerForwardFlopsPerSequence(causalAttention: causalAttention) + LogitForwardFlopsPerSequence);

    /// <summary>
    /// FLOPs the hardware executes, recomputation included; under full recomputation of a dense GPT this is
    /// 96·B·s·l·h²·(1 + s/6h + V/16lh), the figure the Megatron-LM paper reports.
    /// </summary>
    public double HardwareFlopsPerIteration(int globalBatch, RecomputeMode recompute) => recompute switch
    {
        RecomputeMode.Full => ModelFlopsPerIteration(globalBatch) + globalBatch * LayerForwardFlopsPerSequence(),
        RecomputeMode.Selective => ModelFlopsPerIteration(globalBatch) + globalBatch * LayerForwardFlopsPerSequence(attentionCoreOnly: true),
        _ => ModelFlopsPerIteration(globalBatch),
    };

    /// <summary>Checks the description; every error names the job-spec field, what was wrong and what is allowed.</summary>
    /// <returns>The errors; empty when the model is usable.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Layers < 1) errors.Add($"model.layers must be at least 1, got {Layers}");
        if (Hidden < 1) errors.Add($"model.hidden must be at least 1, got {Hidden}");
        if (Heads < 1) errors.Add($"model.heads must be at least 1, got {Heads}");
        else if (HeadDimension is null && Hidden >= 1 && Hidden % Heads != 0) errors.Add($"model.heads ({Heads}) must divide model.hidden ({Hidden})");
        if (HeadDimension is < 1) errors.Add($"model.headDimension must be at least 1, got {HeadDimension}");
        else if (FlashAttention != false && Heads >= 1 && HeadSize > MaxFusedAttentionHeadDimension)
            errors.Add($"model.headDimension ({HeadSize}{(HeadDimension is null ? ", i.e. hidden/heads" : "")}) must be at most {MaxFusedAttentionHeadDimension} " +
                       "with FlashAttention (fused kernels support head sizes up to 256); set model.attention.flash false for the unfused path");
        if (SlidingWindow is < 1) errors.Add($"model.slidingWindow must be at least 1 token or absent, got {SlidingWindow}");
        if (SlidingWindowEvery < 1 || (Layers >= 1 && SlidingWindowEvery > Layers))
            errors.Add($"model.slidingWindowEvery must be between 1 and model.layers ({Layers}), got {SlidingWindowEvery}");
        if (QueryGroups is { } groups && (groups < 1 || Heads < 1 || Heads % groups != 0))
            errors.Add($"model.queryGroups ({groups}) must be at least 1 and divide model.heads ({Heads})");
        if (FfnHidden is < 1) errors.Add($"model.ffn must be at least 1, got {FfnHidden}");
        if (SequenceLength < 1) errors.Add($"model.sequenceLength must be at least 1, got {SequenceLength}");
        else if (SequenceLength > MaxSequenceLength) errors.Add($"model.sequenceLength must be at most {MaxSequenceLength} (128K), got {SequenceLength}");
        if (!Enum.IsDefined(Activation)) errors.Add($"model.activation must be gelu or swiglu, got {(int)Activation}");
        if (!Enum.IsDefined(Precision)) errors.Add($"model.precision must be bf16, fp16 or fp8, got {(int)Precision}");
        if (Vocabulary < 1) errors.Add($"model.vocabulary must be at least 1 (or 'gpt2'), got {Vocabulary}");
        if (Moe?.Validate() is { } moeError) errors.Add(moeError);
        else if (Moe is not null && Layers >= 1 && Moe.Every > Layers)
            errors.Add($"model.moe.every ({Moe.Every}) must not exceed model.layers ({Layers}): the model would have no MoE layer");
        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> finds errors.</summary>
    /// <exception cref="ArgumentException">The model is not usable; the message lists every error.</exception>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), "model");
    }
}
