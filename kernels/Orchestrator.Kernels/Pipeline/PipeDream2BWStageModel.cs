using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// PipeDream-2BW's double-buffered weights on one rank. Version k lives in replica k mod 2. Batch t computes with
/// version max(t-1, 0), so its gradients accumulate in that replica; the step after batch t creates
/// W(t+1) = W(t) - update(∇f(W(t-1))) in the replica of the version that batch t used, which nothing reads any more.
/// The optimizer runs on a master copy that always holds the newest version, so its state (e.g. AdamW moments)
/// is kept once.
/// </summary>
public sealed class PipeDream2BWStageModel : IPipelineStageModel, IDisposable
{
    private readonly IPipelineStageReplica[] _replicas;
    private readonly Parameter[] _master;
    private readonly optim.Optimizer _optimizer;
    private readonly Action<IReadOnlyList<Parameter>>? _synchronizeGradients;

    /// <param name="even">The replica that holds versions 0, 2, 4, ... (initialised with the starting weights).</param>
    /// <param name="odd">A second replica with the same structure; its initial weights are overwritten.</param>
    /// <param name="optimizerFactory">Builds the optimizer over the master parameters.</param>
    /// <param name="synchronizeGradients">Reduces the master gradients across data-parallel replicas, if any.</param>
    public PipeDream2BWStageModel(
        IPipelineStageReplica even, IPipelineStageReplica odd,
        Func<IReadOnlyList<Parameter>, optim.Optimizer> optimizerFactory,
        Action<IReadOnlyList<Parameter>>? synchronizeGradients = null)
    {
        ArgumentNullException.ThrowIfNull(even);
        ArgumentNullException.ThrowIfNull(odd);
        ArgumentNullException.ThrowIfNull(optimizerFactory);
        if (even.Parameters.Count != odd.Parameters.Count)
            throw new ArgumentException($"the two replicas differ: {even.Parameters.Count} and {odd.Parameters.Count} parameters", nameof(odd));
        _replicas = [even, odd];
        using (no_grad())
        {
            _master = even.Parameters.Select(p => new Parameter(p.detach().clone(), requires_grad: true)).ToArray();
            CopyInto(_master, odd.Parameters);
        }

        _optimizer = optimizerFactory(_master);
        _synchronizeGradients = synchronizeGradients;
    }

    /// <inheritdoc />
    public Tensor Forward(int chunk, int weightVersion, Tensor input, Tensor? targets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weightVersion);
        return _replicas[weightVersion % 2].Forward(chunk, input, targets);
    }

    /// <inheritdoc />
    public void OptimizerStep(int createdVersion)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(createdVersion, 1);
        var computedWith = _replicas[Math.Max(createdVersion - 2, 0) % 2].Parameters;
        using (no_grad())
        {
            for (var i = 0; i < _master.Length; i++)
            {
                using var gradient = computedWith[i].grad;
                _master[i].grad = gradient is null ? zeros_like(_master[i]) : gradient.clone();
                gradient?.zero_();
            }
        }

        _synchronizeGradients?.Invoke(_master);
        _optimizer.step();
        using (no_grad())
        {
            CopyInto(_master, _replicas[createdVersion % 2].Parameters);
        }

        _optimizer.zero_grad();
    }

    /// <summary>The newest weights (what the next created version is computed from).</summary>
    public IReadOnlyList<Parameter> NewestWeights => _master;

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        foreach (var parameter in _master) parameter.Dispose();
    }

    private static void CopyInto(IReadOnlyList<Parameter> source, IReadOnlyList<Parameter> destination)
    {
        for (var i = 0; i < source.Count; i++) destination[i].copy_(source[i]);
    }
}
