using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using TorchSharp.Modules;

namespace Orchestrator.Kernels.Moe;

/// <summary>Builds the MoE layers of a GPT (or of one rank's chunk of it) over the parameters the model registered.</summary>
internal static class GptMoeLayers
{
    /// <summary>
    /// One layer per MoE block present in <paramref name="named"/>, keyed by the block's prefix ("layers.3."). With
    /// <paramref name="groups"/> the layers hold this rank's expert slice and use its expert and tensor groups.
    /// </summary>
    public static Dictionary<string, DroplessMoeLayer> Build(
        GptConfig config, IReadOnlyDictionary<string, Parameter> named, ProcessGroups? groups = null)
    {
        var layers = new Dictionary<string, DroplessMoeLayer>();
        if (config.Moe is not { } moe)
        {
            return layers;
        }

        var options = moe.ToOptions(config.Hidden, config.FeedForwardSize, groups?.Grid.ExpertParallelSize ?? 1);
        for (var layer = 0; layer < config.Layers; layer++)
        {
            var prefix = GptParameterNames.Layer(layer);
            if (moe.IsMoeLayer(layer) && named.TryGetValue(prefix + GptMoeSettings.RouterWeight, out var router))
            {
                layers[prefix] = DroplessMoeLayer.Adopting(
                    options, router, named[prefix + GptMoeSettings.ExpertInputWeight], named[prefix + GptMoeSettings.ExpertOutputWeight],
                    groups?.Expert, groups?.Tensor);
            }
        }

        return layers;
    }
}
