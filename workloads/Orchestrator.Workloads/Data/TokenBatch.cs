using Orchestrator.Kernels.Pipeline;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Data;

/// <summary>
/// One data-parallel replica's share of a step's global batch, cut into micro-batches. Sample i of micro-batch j on
/// replica d is global sample (d·m + j)·b + i, so every layout sees the same global batch in the same order.
/// For PipeDream-2BW schedules that span several steps, micro-batch j belongs to step <c>firstStep + j / m</c>.
/// </summary>
internal sealed class TokenBatch(ITokenSource source, long firstStep, int dataParallelRank, int microBatches, int microBatchSize, int sequenceLength, Device device)
    : IPipelineBatch, IDisposable
{
    private readonly Dictionary<int, (Tensor Inputs, Tensor Targets)> _tokens = [];

    public Tensor Inputs(int microBatch) => Tokens(microBatch).Inputs;

    public Tensor Targets(int microBatch) => Tokens(microBatch).Targets;

    public void Dispose()
    {
        lock (_tokens)
        {
            foreach (var (inputs, targets) in _tokens.Values)
            {
                inputs.Dispose();
                targets.Dispose();
            }

            _tokens.Clear();
        }
    }

    private (Tensor Inputs, Tensor Targets) Tokens(int microBatch)
    {
        lock (_tokens)
        {
            if (_tokens.TryGetValue(microBatch, out var cached)) return cached;
            var step = firstStep + microBatch / microBatches;
            var local = microBatch % microBatches;
            var values = new long[microBatchSize * (sequenceLength + 1)];
            for (var i = 0; i < microBatchSize; i++)
            {
                var sample = (dataParallelRank * microBatches + local) * microBatchSize + i;
                source.Fill(step, sample, values.AsSpan(i * (sequenceLength + 1), sequenceLength + 1));
            }

            // Contiguous copies: models may view() them, and they outlive the dispose scope of whichever rank asked first.
            using var tokens = tensor(values, [microBatchSize, sequenceLength + 1], dtype: int64, device: device);
            var pair = (tokens[.., ..^1].contiguous().DetachFromDisposeScope(), tokens[.., 1..].contiguous().DetachFromDisposeScope());
            _tokens[microBatch] = pair;
            return pair;
        }
    }
}
