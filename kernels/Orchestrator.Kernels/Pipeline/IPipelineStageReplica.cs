using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>One copy of a pipeline rank's model chunks and their parameters.</summary>
public interface IPipelineStageReplica
{
    /// <summary>Runs local chunk <paramref name="chunk"/>; see <see cref="IPipelineStageModel.Forward"/> for the contract.</summary>
    Tensor Forward(int chunk, Tensor input, Tensor? targets);

    /// <summary>Every trainable parameter of the rank's chunks, in a fixed order.</summary>
    IReadOnlyList<Parameter> Parameters { get; }
}
