using static TorchSharp.torch;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>The micro-batches a schedule runs, as token ids. Only the ranks that need them ask.</summary>
public interface IPipelineBatch
{
    /// <summary>Input token ids [micro-batch size, sequence] of micro-batch <paramref name="microBatch"/>.</summary>
    Tensor Inputs(int microBatch);

    /// <summary>Next-token targets [micro-batch size, sequence] of micro-batch <paramref name="microBatch"/>.</summary>
    Tensor Targets(int microBatch);
}
