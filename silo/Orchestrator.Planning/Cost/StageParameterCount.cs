using Orchestrator.Planning.Model;

namespace Orchestrator.Planning.Cost;

/// <summary>
/// Parameters one GPU of a pipeline stage holds, shared by the cost model (gradient traffic, optimizer step) and
/// the memory model. The first stage holds the word and position embeddings; the last stage the output layer,
/// which with tied embeddings is Megatron's copy of the word embedding (kept in step by an all-reduce), so with
/// more than one stage both ends carry a V·h matrix either way; a single stage holds one (tied) or two (untied).
/// </summary>
internal static class StageParameterCount
{
    /// <summary>Dense (non-expert) parameters of one layer, averaged over dense and MoE layers (router included).</summary>
    public static double DensePerLayer(TransformerModel model)
    {
        var moeShare = model.Layers == 0 ? 0 : (double)model.MoeLayers / model.Layers;
        return model.AttentionAndNormParameters + (1 - moeShare) * model.DenseFfnParameters +
               moeShare * (model.Moe is null ? 0 : (double)model.Hidden * model.Moe.Experts);
    }

    /// <summary>Expert parameters of one layer, averaged over dense and MoE layers (all experts, before the split over e).</summary>
    public static double ExpertPerLayer(TransformerModel model)
    {
        var moeShare = model.Layers == 0 ? 0 : (double)model.MoeLayers / model.Layers;
        return model.Moe is null ? 0 : moeShare * model.Moe.Experts * model.ExpertParameters;
    }

    /// <summary>Dense parameters per tensor rank of the first stage.</summary>
    public static double First(TransformerModel model, StageSplit split, int tensor) =>
        (split.FirstStageLayers * DensePerLayer(model) + InputEmbedding(model, tensor) + (split.Stages == 1 && model.UntiedEmbeddings ? OutputLayer(model, tensor) : 0)) / tensor;

    /// <summary>Dense parameters per tensor rank of the last stage.</summary>
    public static double Last(TransformerModel model, StageSplit split, int tensor) =>
        split.Stages == 1 ? First(model, split, tensor) : (split.LastStageLayers * DensePerLayer(model) + OutputLayer(model, tensor)) / tensor;

    /// <summary>Dense parameters per tensor rank of whichever end stage holds more.</summary>
    public static double Busiest(TransformerModel model, StageSplit split, int tensor) =>
        Math.Max(First(model, split, tensor), Last(model, split, tensor));

    private static double InputEmbedding(TransformerModel model, int tensor) =>
        (double)model.PaddedVocabulary(tensor) * model.Hidden + (double)model.SequenceLength * model.Hidden;

    private static double OutputLayer(TransformerModel model, int tensor) => (double)model.PaddedVocabulary(tensor) * model.Hidden;
}
