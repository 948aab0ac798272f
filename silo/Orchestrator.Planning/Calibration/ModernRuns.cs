using Orchestrator.Planning.Layout;
using Orchestrator.Planning.Model;
using Orchestrator.Planning.Search;
using Orchestrator.Planning.Tables;

namespace Orchestrator.Planning.Calibration;

/// <summary>
/// Published H100 runs of models trained the current way (GQA, SwiGLU, FlashAttention, long sequences, context
/// parallelism, FP8, Mixture-of-Experts), used only to check the calibrated planner: nothing is fitted to them. Every option the
/// publications leave out (recomputation and sequence parallelism where not published, the Llama 3 virtual stages) is left to the search,
/// as the micro-batch of the weak-scaling runs is; the rest is current practice on H100 (FlashAttention, overlapped
/// gradient reduce, parameter gather and tensor-parallel communication, FP32 main gradients, the distributed optimizer).
/// </summary>
internal static class ModernRuns
{
    public const string NemoTable = "nemo-h100-24.12-pretraining";
    public const string Llama3Table = "llama3-405b-h100";
    public const string MoeTable = "megatron-bridge-h100-moe";

    private const string H100 = "h100-80gb";

    public static EmbeddedCsv NemoRows { get; } = EmbeddedCsv.Load($"Calibration.Published.{NemoTable}.csv");

    public static EmbeddedCsv Llama3Rows { get; } = EmbeddedCsv.Load($"Calibration.Published.{Llama3Table}.csv");

    public static EmbeddedCsv MoeRows { get; } = EmbeddedCsv.Load($"Calibration.Published.{MoeTable}.csv");

    /// <summary>NeMo 24.12 (FP8): seconds per iteration, from the published tokens per second per GPU.</summary>
    public static IReadOnlyList<CalibrationPoint> NemoPoints() =>
    [
        .. NemoRows.Rows.Select(row =>
        {
            var model = new TransformerModel(
                row.Int("layers"), row.Int("hidden"), row.Int("heads"), row.Int("sequence"), row.Int("vocabulary"),
                QueryGroups: row.OptionalInt("query_groups"), FfnHidden: row.Int("ffn"), Precision: Precision.Fp8,
                Activation: Enum.Parse<FfnActivation>(row.Text("activation"), ignoreCase: true),
                UntiedEmbeddings: bool.Parse(row.Text("untied")),
                Dropout: bool.Parse(row.Text("dropout")), RotaryEmbeddings: bool.Parse(row.Text("rotary")));
            // NeMo's performance scripts run FP8 with 16-bit gradient buffers (recipe.trainer.plugins =
            // bf16_with_fp8_mixed(); grad_reduce_in_fp32 = False), the distributed optimizer, overlapped gradient
            // reduce and parameter gather and tensor-parallel communication overlap (MegatronCommOverlapCallback),
            // no recomputation and sequence parallelism with t > 1: the run is priced as published, not searched.
            var training = new TrainingShape(row.Int("global_batch"), OverlapTensorCommunication: true, Fp32MainGradients: false);
            return FixedLayoutPoint(NemoTable, row, model, training, expert: 1, published: RecomputeMode.None);
        }),
    ];

    /// <summary>
    /// Megatron-Bridge MoE runs on DGX-H100 (GPT-OSS-120B in BF16, Qwen3-30B-A3B in FP8): seconds per iteration, from
    /// the published tokens per second per GPU. Balanced dropless routing every layer, as the runs forced it; the
    /// training options are the performance recipes' (below), the rest current practice on H100.
    /// </summary>
    public static IReadOnlyList<CalibrationPoint> MoePoints() =>
    [
        // Both performance recipes reduce gradients in 16 bits (set_qwen3_common_configs and
        // set_gpt_oss_common_configs: grad_reduce_in_fp32 = False) and recompute nothing (recompute_granularity =
        // None in the Qwen3 performance recipe and in the GPT-OSS-120B base recipe), with the distributed optimizer
        // and overlapped gradient reduce and parameter gather; t = 1, so no sequence parallelism.
        .. MoeRows.Rows.Select(row => RecipePoint(MoeTable, row, MoeModel(row), new TrainingShape(row.Int("global_batch"), Fp32MainGradients: false), RecomputeMode.None)),
    ];

    /// <summary>
    /// The architecture of a row of an MoE table (<see cref="MoeTable"/> or <see cref="AutoModelRuns.Table"/>): SwiGLU
    /// experts in every layer, untied embeddings, rotary position embeddings and no dropout (config.json: rope_theta,
    /// attention_dropout 0), a head size apart from h/a, an optional sliding window; FP8 rows run current scaling.
    /// </summary>
    internal static TransformerModel MoeModel(CsvRow row) => new(
        row.Int("layers"), row.Int("hidden"), row.Int("heads"), row.Int("sequence"), row.Int("vocabulary"),
        QueryGroups: row.Int("query_groups"),
        Moe: new MoeDescription(row.Int("experts"), row.Int("top_k"), ExpertFfnHidden: row.Int("expert_ffn")),
        Precision: row.Text("precision") == "fp8" ? Precision.Fp8 : Precision.Bf16, Fp8CurrentScaling: row.Text("precision") == "fp8",
        Activation: FfnActivation.Swiglu, UntiedEmbeddings: true, HeadDimension: row.Int("head_dimension"),
        Dropout: false, RotaryEmbeddings: true,
        SlidingWindow: row.OptionalInt("sliding_window"), SlidingWindowEvery: row.OptionalInt("sliding_window_every") ?? 1);

    /// <summary>
    /// A published MoE run priced with its recipe's whole layout fixed, <paramref name="recompute"/> included. The run is
    /// priced as it ran even where the planner's memory model would not fit it (the Qwen3-30B-A3B rows without
    /// recomputation): the time is compared, the memory is not.
    /// </summary>
    internal static CalibrationPoint RecipePoint(string table, CsvRow row, TransformerModel model, TrainingShape training, RecomputeMode recompute)
    {
        int gpus = row.Int("gpus"), t = row.Int("tensor"), p = row.Int("pipeline"), c = row.Int("context"), v = row.Int("virtual_stages");
        var seconds = (double)training.GlobalBatch * row.Int("sequence") / (row.Number("tokens_per_second_per_gpu") * gpus);
        var request = new PlanningRequest(model, training, PlanningCluster.ForGpuType(H100, gpus));
        var layout = new ParallelLayout(t, p, gpus / (t * p * c), row.Int("expert"), v, c);
        // Neither Megatron-Bridge recipe sets account_for_loss_in_pipeline_split (the GPT-OSS one sets it False
        // explicitly): Megatron gives every stage the same layers and the last stage the output layer on top.
        var choice = new LayoutChoice(layout, row.Int("micro_batch"), recompute, SequenceParallel: false, ShardOptimizer: true,
            v > 1 ? PipelineSchedule.Interleaved : PipelineSchedule.OneForwardOneBackward, EvenStages: true);
        return new CalibrationPoint(table, row.Text("name"), seconds, "seconds per iteration",
            constants => LayoutSearch.Evaluate(request with { Constants = constants }, choice).IterationSeconds);
    }

    /// <summary>
    /// A published run with its layout and micro-batch fixed, measured in tokens per second per GPU and compared as
    /// seconds per iteration. Recomputation is left to the search unless the publication gives it
    /// (<paramref name="published"/>, with sequence parallelism wherever t > 1): then exactly that configuration is
    /// priced, whatever the memory model says of it (what it says is a separate check, reported beside the table).
    /// </summary>
    private static CalibrationPoint FixedLayoutPoint(string table, CsvRow row, TransformerModel model, TrainingShape training, int expert, RecomputeMode? published = null)
    {
        int gpus = row.Int("gpus"), t = row.Int("tensor"), p = row.Int("pipeline"), c = row.Int("context");
        var seconds = (double)training.GlobalBatch * row.Int("sequence") / (row.Number("tokens_per_second_per_gpu") * gpus);
        var request = new PlanningRequest(model, training, PlanningCluster.ForGpuType(H100, gpus))
        {
            TensorParallelSize = t,
            PipelineParallelSize = p,
            ContextParallelSize = c,
            DataParallelSize = gpus / (t * p * c),
            ExpertParallelSize = expert,
            VirtualStages = row.Int("virtual_stages"),
            MicroBatch = row.Int("micro_batch"),
            ShardOptimizer = true,
            MaxIdleFraction = 0,
        };
        if (published is { } recompute)
        {
            var v = row.Int("virtual_stages");
            var choice = new LayoutChoice(
                new ParallelLayout(t, p, gpus / (t * p * c), expert, v, c), row.Int("micro_batch"), recompute, SequenceParallel: t > 1,
                ShardOptimizer: true, v > 1 ? PipelineSchedule.Interleaved : PipelineSchedule.OneForwardOneBackward);
            return new CalibrationPoint(table, row.Text("name"), seconds, "seconds per iteration",
                constants => LayoutSearch.Evaluate(request with { Constants = constants }, choice).IterationSeconds);
        }

        return new CalibrationPoint(table, row.Text("name"), seconds, "seconds per iteration",
            constants => LayoutSearch.Search(request with { Constants = constants }).Best.IterationSeconds);
    }

    /// <summary>Llama 3 405B (BF16): model TFLOP/s per GPU.</summary>
    public static IReadOnlyList<CalibrationPoint> Llama3Points() =>
    [
        .. Llama3Rows.Rows.Select(row =>
        {
            int t = row.Int("tensor"), c = row.Int("context"), p = row.Int("pipeline"), d = row.Int("data");
            var model = new TransformerModel(126, 16384, 128, row.Int("sequence"), 128256, QueryGroups: 8, FfnHidden: 53248,
                Activation: FfnActivation.Swiglu, UntiedEmbeddings: true);
            var batch = d * row.Int("batch_per_data_rank");
            var request = new PlanningRequest(model, new TrainingShape(batch), PlanningCluster.ForGpuType(H100, t * c * p * d));
            // The paper does not say how it counts attention FLOPs; the causal count (the blocks a causal mask keeps) is
            // what the work really is, and the full count would credit the 128K run with twice its attention work.
            var flops = model.ModelFlopsPerIteration(batch, causalAttention: true);
            return new CalibrationPoint(Llama3Table, row.Text("name"), row.Number("tflops_per_gpu"), "model TFLOP/s per GPU (causal attention count)",
                constants => flops / FastestInterleaving(request with { Constants = constants }, new ParallelLayout(t, p, d, 1, 1, c)).IterationSeconds / (t * c * p * d) / 1e12);
        }),
    ];

    /// <summary>
    /// The fastest plan for a fixed layout over the unpublished choices: virtual stages 1–8 (uneven layer counts
    /// allowed, as the run had), recomputation, micro-batch 1 (a sequence of 8K tokens or more per micro-batch).
    /// </summary>
    private static PlanEstimate FastestInterleaving(PlanningRequest request, ParallelLayout layout)
    {
        PlanEstimate? best = null;
        for (var v = 1; v <= 8; v++)
        {
            foreach (var recompute in Enum.GetValues<RecomputeMode>())
            {
                var choice = new LayoutChoice(layout with { VirtualStages = v }, 1, recompute, SequenceParallel: true, ShardOptimizer: true,
                    v > 1 ? PipelineSchedule.Interleaved : PipelineSchedule.OneForwardOneBackward);
                if (choice.Validate(request.Model, request.Training).Count > 0) continue;
                var plan = LayoutSearch.Evaluate(request, choice);
                if (plan.Memory.Fits && (best is null || plan.IterationSeconds < best.IterationSeconds)) best = plan;
            }
        }

        return best ?? throw new PlanningException($"no interleaving of {layout} fits {request.Model.Layers} layers in memory", new Dictionary<string, int>());
    }
}
