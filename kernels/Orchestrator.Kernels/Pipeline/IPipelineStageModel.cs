using static TorchSharp.torch;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// A pipeline rank's share of the model as <see cref="PipelineExecutor"/> drives it: its model chunks and what an
/// optimizer step does. Gradients flow through autograd; the executor calls backward on what Forward returned.
/// </summary>
public interface IPipelineStageModel
{
    /// <summary>
    /// Runs local chunk <paramref name="chunk"/> with weight version <paramref name="weightVersion"/> (always 0 except
    /// for PipeDream-2BW). <paramref name="input"/> is token ids [batch, sequence] on the first virtual stage and the
    /// previous virtual stage's activation otherwise. <paramref name="targets"/> is given only on the last virtual
    /// stage, which returns the micro-batch's mean loss as a scalar; other stages return their output activation.
    /// </summary>
    Tensor Forward(int chunk, int weightVersion, Tensor input, Tensor? targets);

    /// <summary>
    /// Applies the gradients accumulated since the last step and clears them. For PipeDream-2BW
    /// <paramref name="createdVersion"/> names the weight version this step creates; otherwise it is 0.
    /// </summary>
    void OptimizerStep(int createdVersion);
}
