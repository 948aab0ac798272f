using Orchestrator.Planning.Hardware;
using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// Assembles one iteration from layer times: the slowest stage's micro-batches, the pipeline bubble of the
/// schedule, point-to-point traffic, the exposed data-parallel reduction and the optimizer step. Holds a cache of
/// layer times so a search pays for each (tensor, expert, micro-batch, sequence-parallel) combination once; not
/// thread-safe, one per search.
/// </summary>
internal sealed class IterationCalculator
{
    private readonly TransformerModel model;
    private readonly TrainingShape training;
    private readonly GpuModel gpu;
    private readonly CostModelConstants constants;
    private readonly DeviceKernels _kernels;
    private readonly Dictionary<LayerKey, LayerTimes> _layers = [];
    private readonly double _modelFlops;
    private readonly double[] _hardwareFlops;

    /// <summary>Settles the model's and the shape's "current practice" defaults for <paramref name="gpu"/> first.</summary>
    public IterationCalculator(TransformerModel model, TrainingShape training, GpuModel gpu, CostModelConstants constants)
    {
        this.model = model.ResolvedFor(gpu);
        this.training = training.ResolvedFor(gpu);
        this.gpu = gpu;
        this.constants = constants;
        _kernels = new DeviceKernels(gpu, model.Precision, constants);
        _modelFlops = model.ModelFlopsPerIteration(training.GlobalBatch);
        _hardwareFlops = [.. Enum.GetValues<RecomputeMode>().Order().Select(mode => model.HardwareFlopsPerIteration(training.GlobalBatch, mode))];
    }

    public IterationEstimate Estimate(LayoutChoice choice, GroupLinks links) => Complete(choice, Breakdown(choice, links));

    /// <summary>Turns a breakdown into the full estimate (throughput figures and the stage split).</summary>
    public IterationEstimate Complete(LayoutChoice choice, CostBreakdown breakdown)
    {
        var layout = choice.Layout;
        var seconds = breakdown.TotalSeconds;
        var gpus = (double)layout.WorldSize;
        var modelTflops = _modelFlops / seconds / gpus / 1e12;
        var hardwareTflops = _hardwareFlops[(int)choice.Recompute] / seconds / gpus / 1e12;
        var peak = model.Precision == Precision.Fp8 && gpu.PeakFp8Tflops is { } fp8 ? fp8 : gpu.PeakBf16Tflops;
        var split = StageSplit.For(model, layout.Pipeline, layout.VirtualStages, choice.Recompute, choice.EvenStages);
        return new IterationEstimate(
            seconds, breakdown, modelTflops, hardwareTflops, modelTflops / peak, breakdown.PipelineBubbleSeconds / seconds,
            choice.MicroBatches(training.GlobalBatch), split.PerStage());
    }

    /// <summary>Where one iteration's time goes; the search ranks on its total before building the full estimate.</summary>
    public CostBreakdown Breakdown(LayoutChoice choice, GroupLinks links)
    {
        var layout = choice.Layout;
        int t = layout.Tensor, p = layout.Pipeline, d = layout.Data, e = layout.Expert, v = layout.VirtualStages;
        var m = choice.MicroBatches(training.GlobalBatch);
        // Tokens of one micro-batch on one rank: a context-parallel rank holds s/c of each sequence.
        var tokens = (double)choice.MicroBatch * model.SequenceLength / layout.Context;

        // One micro-batch through one average layer, recomputation separated out.
        var dense = LayerFor(choice, links, moe: false);
        var moeLayers = model.MoeLayers;
        var layer = moeLayers == 0
            ? Work.Of(dense, choice.Recompute)
            : Work.Average(Work.Of(dense, choice.Recompute), model.Layers - moeLayers, Work.Of(LayerFor(choice, links, moe: true), choice.Recompute), moeLayers);

        var split = StageSplit.For(model, p, v, choice.Recompute, choice.EvenStages);
        var outputLayer = OutputLayerSeconds(tokens, t);
        var embedding = _kernels.Stream(3 * 8.0 * tokens * model.Hidden);

        var typicalStage = split.TypicalStageLayers * layer.Total + (p == 1 ? outputLayer + embedding : embedding);
        var lastStage = split.LastStageLayers * layer.Total + outputLayer + (p == 1 ? embedding : 0);
        var slowestIsLast = lastStage >= typicalStage;
        var slowestLayers = slowestIsLast ? split.LastStageLayers : split.TypicalStageLayers;
        var slowestExtra = slowestIsLast ? outputLayer + (p == 1 ? embedding : 0) : (p == 1 ? outputLayer + embedding : embedding);

        var pointToPoint = p == 1 ? 0 : (v == 1 ? 2 : v) * StageTransfer(tokens, t, links);
        var bubble = choice.Schedule == PipelineSchedule.PipeDream2BW || p == 1
            ? 0
            : (p - 1.0) / v * (typicalStage + pointToPoint);

        var (stageDense, stageExpert) = StageParameters(split, t, e);
        var backwardWindow = slowestLayers * (layer.Backward.Total + layer.Recompute.Total);
        var forwardWindow = slowestLayers * layer.Forward.Total;
        var dataCommunication = DataCommunication(choice, links, stageDense, stageExpert, backwardWindow, forwardWindow);
        // The distributed optimizer shards over the data and context ranks, which hold the same weights.
        var replicas = (double)d * layout.Context;
        var updatedParameters = choice.ShardOptimizer ? stageDense / replicas + stageExpert / (replicas / e) : stageDense + stageExpert;
        var optimizer = _kernels.Stream(constants.OptimizerBytesPerParameter * updatedParameters);
        var fp8 = Fp8PerIteration(choice, links, m, slowestLayers, stageDense + stageExpert);

        var perMicroBatch = slowestLayers * (layer.Forward + layer.Backward);
        return new CostBreakdown(
            GemmSeconds: m * perMicroBatch.Gemm,
            AttentionSeconds: m * perMicroBatch.Attention,
            ElementwiseSeconds: m * perMicroBatch.Elementwise,
            RecomputeSeconds: m * slowestLayers * (layer.Recompute.Total - layer.Recompute.ContextCommunication),
            TensorCommunicationSeconds: m * perMicroBatch.TensorCommunication,
            ExpertCommunicationSeconds: m * perMicroBatch.ExpertCommunication,
            LogitsAndEmbeddingSeconds: m * slowestExtra,
            PipelineCommunicationSeconds: m * pointToPoint,
            PipelineBubbleSeconds: bubble,
            DataCommunicationSeconds: dataCommunication,
            OptimizerSeconds: optimizer,
            ContextCommunicationSeconds: m * (perMicroBatch.ContextCommunication + slowestLayers * layer.Recompute.ContextCommunication),
            Fp8ConversionSeconds: m * perMicroBatch.Fp8Conversion + fp8);
    }

    private LayerTimes LayerFor(LayoutChoice choice, GroupLinks links, bool moe)
    {
        // Only the tensor and expert links enter a layer's time, so layouts that differ in pipeline or data size share entries.
        var layout = choice.Layout;
        var key = new LayerKey(layout.Tensor, layout.Context, layout.Expert, choice.MicroBatch, choice.SequenceParallel, moe, links.Tensor, links.Context, links.Expert, links.ExpertRanksPerNode);
        if (!_layers.TryGetValue(key, out var times))
        {
            times = new LayerCostCalculator(model, _kernels, links, training.OverlapsTensorCommunication)
                .Layer(layout.Tensor, layout.Context, layout.Expert, choice.MicroBatch, choice.SequenceParallel, moe);
            _layers[key] = times;
        }

        return times;
    }

    /// <summary>
    /// Output layer (logits GEMM forward and backward) and the fp32 vocabulary-parallel cross-entropy. Megatron's output
    /// layer is its own column-parallel linear layer, not a Transformer Engine module, so it stays 16-bit under FP8.
    /// </summary>
    private double OutputLayerSeconds(double tokens, int tensor)
    {
        var vocabulary = model.PaddedVocabulary(tensor) / (double)tensor;
        return 3 * _kernels.Gemm(tokens, vocabulary, model.Hidden, sixteenBit: true) + _kernels.Stream(3 * 4.0 * tokens * vocabulary);
    }

    /// <summary>
    /// The iteration-level FP8 work (<see cref="Fp8Conversion"/>): the weights cast once per step, and two amax
    /// all-reduces (after the forward and after the backward pass) per micro-batch and model chunk over the stage's
    /// data × tensor × context ranks, for the chunk's four GEMMs per layer.
    /// </summary>
    private double Fp8PerIteration(LayoutChoice choice, GroupLinks links, int microBatches, int stageLayers, double stageParameters)
    {
        var conversion = new Fp8Conversion(_kernels, model.Fp8CurrentScaling);
        if (!conversion.Active) return 0;
        var layout = choice.Layout;
        var replicas = layout.Data * layout.Context;
        var link = replicas > 1 ? links.Data : links.Tensor;
        var chunks = layout.VirtualStages;
        var reduction = conversion.AmaxReduction(4.0 * stageLayers / chunks, replicas * layout.Tensor, link);
        return conversion.Weights(stageParameters) + 2.0 * microBatches * chunks * reduction;
    }

    /// <summary>
    /// One activation (or gradient) transfer between stages. With tensor parallelism Megatron sends 1/t of the
    /// tensor from each rank (scatter) and re-assembles it over the tensor link (gather).
    /// </summary>
    private double StageTransfer(double tokens, int tensor, GroupLinks links)
    {
        var bytes = TransformerModel.ElementBytes * tokens * model.Hidden;
        return _kernels.PointToPoint(bytes / tensor, links.Pipeline) + _kernels.AllGather(bytes, tensor, links.Tensor);
    }

    /// <summary>Parameters one GPU of the busiest stage holds: dense ones split by t, experts by t·e.</summary>
    private (double Dense, double Expert) StageParameters(StageSplit split, int tensor, int expert)
    {
        var stage = StageParameterCount.Busiest(model, split, tensor);
        var layers = Math.Max(split.FirstStageLayers, split.LastStageLayers);
        return (stage, layers * StageParameterCount.ExpertPerLayer(model) / (tensor * (double)expert));
    }

    /// <summary>
    /// Gradient reduction over the data- and context-parallel ranks (which hold the same weights; expert weights
    /// over the expert-data group), in the gradient buffers' precision (FP32 main gradients or 16 bits). With the
    /// distributed optimizer it becomes a reduce-scatter of gradients plus an all-gather of the updated 16-bit
    /// weights, which overlaps the next forward pass when <see cref="TrainingShape.OverlapParameterGather"/> is on.
    /// </summary>
    private double DataCommunication(LayoutChoice choice, GroupLinks links, double dense, double expert, double backwardWindow, double forwardWindow)
    {
        var layout = choice.Layout;
        var gradientBytes = training.GradientBytes;
        var replicas = layout.Data * layout.Context;
        var expertData = replicas / layout.Expert;
        var ranksPerNode = links.DataRanksPerNode;
        // The expert ranks are consecutive data ranks (Megatron's tp-cp-ep-dp-pp order), so of the data ranks in a node
        // only one in e belongs to a given expert-data group: that group crosses the node over that many network cards.
        var expertRanksPerNode = Math.Max(1, ranksPerNode / layout.Expert);
        double reduce, gather = 0;
        if (choice.ShardOptimizer)
        {
            reduce = _kernels.AllGather(gradientBytes * dense, replicas, links.Data, ranksPerNode) +
                     _kernels.AllGather(gradientBytes * expert, expertData, links.Data, expertRanksPerNode);
            gather = _kernels.AllGather(TransformerModel.ElementBytes * dense, replicas, links.Data, ranksPerNode) +
                     _kernels.AllGather(TransformerModel.ElementBytes * expert, expertData, links.Data, expertRanksPerNode);
        }
        else
        {
            reduce = _kernels.AllReduce(gradientBytes * dense, replicas, links.Data, ranksPerNode) +
                     _kernels.AllReduce(gradientBytes * expert, expertData, links.Data, expertRanksPerNode);
        }

        var exposedReduce = training.OverlapGradientReduce ? Math.Max(0, reduce - backwardWindow) : reduce;
        var exposedGather = training.OverlapParameterGather ? Math.Max(0, gather - forwardWindow) : gather;
        return exposedReduce + exposedGather;
    }

    private readonly record struct LayerKey(
        int Tensor, int Context, int Expert, int MicroBatch, bool SequenceParallel, bool Moe,
        Topology.LinkProfile TensorLink, Topology.LinkProfile ContextLink, Topology.LinkProfile ExpertLink, int ExpertRanksPerNode);

    /// <summary>One layer's micro-batch work with recomputation kept apart.</summary>
    private readonly record struct Work(OperationTimes Forward, OperationTimes Backward, OperationTimes Recompute)
    {
        public double Total => Forward.Total + Backward.Total + Recompute.Total;

        public static Work Of(LayerTimes layer, RecomputeMode mode) => new(layer.Forward, layer.Backward, layer.Recompute(mode));

        public static Work Average(Work a, int countA, Work b, int countB)
        {
            double wa = countA / (double)(countA + countB), wb = 1 - wa;
            return new Work(wa * a.Forward + wb * b.Forward, wa * a.Backward + wb * b.Backward, wa * a.Recompute + wb * b.Recompute);
        }
    }
}
