using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// How the layers are divided among pipeline stages. The last stage also computes the output layer, so when the
/// layers do not divide evenly (or the output layer is heavy) it may take fewer layers than the others; the
/// split minimises the slowest stage, measuring the output layer in layer-equivalents of FLOPs.
/// </summary>
/// <param name="FirstStageLayers">Layers on the first stage (the one that keeps the most micro-batches in flight).</param>
/// <param name="TypicalStageLayers">Layers on the busiest stage other than the last.</param>
/// <param name="LastStageLayers">Layers on the last stage.</param>
/// <param name="Stages">Pipeline stages.</param>
/// <param name="TotalLayers">All layers.</param>
internal readonly record struct StageSplit(int FirstStageLayers, int TypicalStageLayers, int LastStageLayers, int Stages, int TotalLayers)
{
    /// <summary>Splits the model's layers over the layout's pipeline stages (equally when <paramref name="evenStages"/>).</summary>
    public static StageSplit For(TransformerModel model, int pipeline, int virtualStages, RecomputeMode recompute, bool evenStages = false)
    {
        var layers = model.Layers;
        if (pipeline == 1) return new StageSplit(layers, layers, layers, 1, layers);
        if (evenStages) return new StageSplit(layers / pipeline, layers / pipeline, layers / pipeline, pipeline, layers);

        // The interleaved schedule runs equal chunks where the layers divide (the search only offers those);
        // otherwise every stage but the last takes the rounded-up share and the last what is left, as runs with
        // an uneven layer count (Llama 3 405B: 126 layers over 16 stages) do.
        if (virtualStages > 1)
        {
            var share = CeilDiv(layers, pipeline);
            return new StageSplit(share, share, layers - (pipeline - 1) * share, pipeline, layers);
        }

        var passes = recompute == RecomputeMode.Full ? 4.0 : 3.0;
        var layerFlops = passes * model.LayerForwardFlopsPerSequence() / layers;
        var outputLayerInLayers = 3.0 * model.LogitForwardFlopsPerSequence / layerFlops;

        var bestLast = 1;
        var bestSlowest = double.MaxValue;
        var maxLast = (layers + pipeline - 1) / pipeline;
        for (var last = maxLast; last >= 1 && layers - last >= pipeline - 1; last--)
        {
            var others = CeilDiv(layers - last, pipeline - 1);
            var slowest = Math.Max(others, last + outputLayerInLayers);
            if (slowest < bestSlowest - 1e-9)
            {
                bestSlowest = slowest;
                bestLast = last;
            }
        }

        var typical = CeilDiv(layers - bestLast, pipeline - 1);
        return new StageSplit(typical, typical, bestLast, pipeline, layers);
    }

    /// <summary>Layers of every stage, first to last: the busier stages first, then the lighter ones, then the last.</summary>
    public IReadOnlyList<int> PerStage()
    {
        var result = new int[Stages];
        if (Stages == 1)
        {
            result[0] = TotalLayers;
            return result;
        }

        var remaining = TotalLayers - LastStageLayers;
        var light = TypicalStageLayers * (Stages - 1) - remaining;
        for (var i = 0; i < Stages - 1; i++)
        {
            result[i] = i < Stages - 1 - light ? TypicalStageLayers : TypicalStageLayers - 1;
        }

        result[^1] = LastStageLayers;
        return result;
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
