using Orchestrator.Kernels.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Training;

/// <summary>The model shape and optimizer every layout of a run shares.</summary>
internal static class TrainingModel
{
    /// <summary>Gradients are clipped to this global norm before each step (GPT-2/Megatron-LM practice).</summary>
    public const double ClipNorm = 1.0;

    public const double WeightDecay = 0.01;

    public static GptConfig Config(TrainingOptions options) =>
        new(options.Layers, options.Hidden, options.Heads, options.Vocabulary, options.SequenceLength);

    public static optim.Optimizer Optimizer(IReadOnlyList<Parameter> parameters, TrainingOptions options) =>
        optim.AdamW(parameters, options.LearningRate, weight_decay: WeightDecay);

    /// <summary>Clips, steps and clears gradients of a model that lives wholly on one rank.</summary>
    public static void Step(optim.Optimizer optimizer, IReadOnlyList<Parameter> parameters)
    {
        nn.utils.clip_grad_norm_(parameters, ClipNorm);
        optimizer.step();
        optimizer.zero_grad();
    }
}
