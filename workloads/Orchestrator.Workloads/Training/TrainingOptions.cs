using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Moe;
using Orchestrator.Kernels.Pipeline;

namespace Orchestrator.Workloads.Training;

/// <summary>Everything a training run needs: model (dense or Mixture-of-Experts), batch, optimizer, layout, schedule and data.</summary>
/// <param name="Layers">Transformer blocks.</param>
/// <param name="Hidden">Model width.</param>
/// <param name="Heads">Attention heads; divisible by <paramref name="TensorParallelSize"/>.</param>
/// <param name="SequenceLength">Tokens per sample.</param>
/// <param name="Vocabulary">Vocabulary size; at least the data source's.</param>
/// <param name="GlobalBatch">Samples per optimizer step, over all data-parallel replicas.</param>
/// <param name="MicroBatch">Samples per micro-batch on one replica.</param>
/// <param name="Steps">Optimizer steps the job runs in total (a resumed run stops at the same step).</param>
/// <param name="LearningRate">AdamW learning rate.</param>
/// <param name="Seed">Seeds the weights and the synthetic data; the same seed gives the same run on any layout.</param>
/// <param name="TensorParallelSize">Ranks that split each layer's matrices.</param>
/// <param name="PipelineParallelSize">Pipeline stages.</param>
/// <param name="DataParallelSize">Replicas that split the global batch.</param>
/// <param name="VirtualStages">Model chunks per pipeline rank (interleaved schedule).</param>
/// <param name="Schedule">Pipeline schedule name: gpipe, 1f1b, interleaved or 2bw (see <see cref="PipelineScheduleNames"/>).</param>
/// <param name="Recompute">Activation recomputation: none, selective or full.</param>
/// <param name="DataSource">Where tokens come from: <c>synthetic</c> or <c>file:PATH</c> (GPT-2 BPE).</param>
/// <param name="StartStep">The step to resume at (0 for a fresh run); data continues from there.</param>
/// <param name="Device">Torch device, e.g. <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="SequenceParallel">Split layer norms and the activations between blocks along the sequence over the tensor-parallel ranks.</param>
/// <param name="ShardOptimizerState">ZeRO-1: each data-parallel rank keeps AdamW state for its slice of the parameters only.</param>
/// <param name="PeakFlopsPerDevice">Peak FLOP/s of one device at the training precision, for MFU; null when unknown (no MFU is reported).</param>
/// <param name="Moe">
/// Mixture-of-Experts blocks, as the kernels' GPT takes them: every <see cref="GptMoeSettings.Every"/>-th block's MLP
/// becomes a dropless MoE layer of <see cref="GptMoeSettings.ExpertCount"/> experts (4·<paramref name="Hidden"/> wide),
/// each token routed to <see cref="GptMoeSettings.TopK"/> of them; null for a dense model. The load-balancing and z-losses
/// weighted by its coefficients are trained on (per micro-batch, averaged like the language-model loss) but not reported.
/// </param>
/// <param name="ExpertParallelSize">Data-parallel ranks that split each MoE layer's experts; divides <paramref name="DataParallelSize"/> and the expert count; 1 for a dense model.</param>
public sealed record TrainingOptions(
    int Layers = 4,
    int Hidden = 64,
    int Heads = 4,
    int SequenceLength = 32,
    int Vocabulary = 256,
    int GlobalBatch = 8,
    int MicroBatch = 2,
    int Steps = 100,
    double LearningRate = 3e-3,
    long Seed = 1234,
    int TensorParallelSize = 1,
    int PipelineParallelSize = 1,
    int DataParallelSize = 1,
    int VirtualStages = 1,
    string Schedule = "1f1b",
    string Recompute = "none",
    string DataSource = "synthetic",
    long StartStep = 0,
    string Device = "cpu",
    bool SequenceParallel = false,
    bool ShardOptimizerState = false,
    double? PeakFlopsPerDevice = null,
    GptMoeSettings? Moe = null,
    int ExpertParallelSize = 1)
{
    /// <summary>The recomputation modes accepted in <see cref="Recompute"/>.</summary>
    public static IReadOnlyList<string> RecomputeModes { get; } = ["none", "selective", "full"];

    /// <summary>Micro-batches each replica runs per step: GlobalBatch / (MicroBatch · DataParallelSize).</summary>
    public int MicroBatches => GlobalBatch / (MicroBatch * DataParallelSize);

    /// <summary>Ranks the layout occupies.</summary>
    public int WorldSize => TensorParallelSize * PipelineParallelSize * DataParallelSize;

    /// <summary>Refuses anything that cannot run, naming the field, the value and what is allowed.</summary>
    /// <exception cref="ArgumentException">An option is out of range or sizes do not divide.</exception>
    public void Validate()
    {
        Positive(Layers, nameof(Layers));
        Positive(Hidden, nameof(Hidden));
        Positive(Heads, nameof(Heads));
        Positive(SequenceLength, nameof(SequenceLength));
        Positive(Vocabulary, nameof(Vocabulary));
        Positive(GlobalBatch, nameof(GlobalBatch));
        Positive(MicroBatch, nameof(MicroBatch));
        Positive(Steps, nameof(Steps));
        Positive(TensorParallelSize, nameof(TensorParallelSize));
        Positive(PipelineParallelSize, nameof(PipelineParallelSize));
        Positive(DataParallelSize, nameof(DataParallelSize));
        Positive(VirtualStages, nameof(VirtualStages));
        Positive(ExpertParallelSize, nameof(ExpertParallelSize));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentException($"{nameof(LearningRate)} must be a positive finite number, got {LearningRate}", nameof(LearningRate));
        if (StartStep < 0 || StartStep > Steps)
            throw new ArgumentException($"{nameof(StartStep)} must be between 0 and {nameof(Steps)} ({Steps}), got {StartStep}", nameof(StartStep));
        if (Hidden % Heads != 0)
            throw new ArgumentException($"{nameof(Hidden)} ({Hidden}) must be divisible by {nameof(Heads)} ({Heads})", nameof(Hidden));
        if (Heads % TensorParallelSize != 0)
            throw new ArgumentException($"{nameof(Heads)} ({Heads}) must be divisible by {nameof(TensorParallelSize)} ({TensorParallelSize})", nameof(Heads));
        if (Layers % (PipelineParallelSize * VirtualStages) != 0)
            throw new ArgumentException($"{nameof(Layers)} ({Layers}) must be divisible by pipeline stages × virtual stages ({PipelineParallelSize} × {VirtualStages})", nameof(Layers));
        if (GlobalBatch % (MicroBatch * DataParallelSize) != 0)
            throw new ArgumentException($"{nameof(GlobalBatch)} ({GlobalBatch}) must be divisible by {nameof(MicroBatch)} × {nameof(DataParallelSize)} ({MicroBatch} × {DataParallelSize})", nameof(GlobalBatch));
        if (!RecomputeModes.Contains(Recompute))
            throw new ArgumentException($"{nameof(Recompute)} '{Recompute}' is not a recomputation mode; allowed: {string.Join(", ", RecomputeModes)}", nameof(Recompute));
        if (string.IsNullOrWhiteSpace(DataSource))
            throw new ArgumentException($"{nameof(DataSource)} must name a source: synthetic or file:PATH", nameof(DataSource));
        if (SequenceParallel && SequenceLength % TensorParallelSize != 0)
            throw new ArgumentException($"{nameof(SequenceLength)} ({SequenceLength}) must be divisible by {nameof(TensorParallelSize)} ({TensorParallelSize}) under sequence parallelism", nameof(SequenceLength));
        if (Vocabulary % TensorParallelSize != 0)
            throw new ArgumentException($"{nameof(Vocabulary)} ({Vocabulary}) must be divisible by {nameof(TensorParallelSize)} ({TensorParallelSize}): each tensor rank holds a vocabulary slice", nameof(Vocabulary));
        if (PeakFlopsPerDevice is { } peak && !(peak > 0 && double.IsFinite(peak)))
            throw new ArgumentException($"{nameof(PeakFlopsPerDevice)} must be a positive finite number of FLOP/s, or null when unknown; got {peak}", nameof(PeakFlopsPerDevice));
        if (string.IsNullOrWhiteSpace(Device))
            throw new ArgumentException($"{nameof(Device)} must name a torch device such as cpu or cuda", nameof(Device));

        ValidateExperts();

        // The schedule checks its own sizes (interleaving needs micro-batches divisible by stages, 2BW needs m ≥ p).
        ScheduleOptions().Validate();
    }

    /// <summary>The pipeline schedule one optimizer step (or, for 2BW, <paramref name="batches"/> steps) runs.</summary>
    public PipelineScheduleOptions ScheduleOptions(int batches = 1) =>
        new(PipelineScheduleNames.Parse(Schedule, nameof(Schedule)), PipelineParallelSize, MicroBatches, VirtualStages, batches);

    /// <summary>The kernels' shape of the model these options train.</summary>
    public GptConfig ModelConfig() => new(Layers, Hidden, Heads, Vocabulary, SequenceLength, Moe: Moe);

    /// <summary>The kernels' process grid of this layout.</summary>
    public ParallelGrid Grid() => new(TensorParallelSize, PipelineParallelSize, DataParallelSize, ExpertParallelSize);

    /// <summary>The expert-parallel size against the grid and the MoE settings against the model, by the kernels' own rules and messages.</summary>
    private void ValidateExperts()
    {
        if (Moe is null && ExpertParallelSize != 1)
            throw new ArgumentException($"{nameof(ExpertParallelSize)} must be 1 for a dense model ({nameof(Moe)} is null), got {ExpertParallelSize}", nameof(ExpertParallelSize));
        // Expert ranks are drawn from the data-parallel ranks.
        Grid().Validate();
        if (Moe is { } moe)
        {
            // Every within the layers; TopK 1 or 2 and at most ExpertCount; ExpertCount divisible by ExpertParallelSize;
            // the MLP width a multiple of BlockSize.
            var feedForward = ModelConfig().FeedForwardSize;
            moe.Validate(Hidden, feedForward, Layers);
            moe.ToOptions(Hidden, feedForward, ExpertParallelSize).Validate();
        }
    }

    private static void Positive(long value, string field)
    {
        if (value < 1) throw new ArgumentException($"{field} must be at least 1, got {value}", field);
    }
}
