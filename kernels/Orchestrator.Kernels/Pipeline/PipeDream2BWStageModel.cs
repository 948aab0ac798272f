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
    private readonly Action _step;

    /// <param name="even">The replica that holds versions 0, 2, 4, ... (initialised with the starting weights).</param>
    /// <param name="odd">A second replica with the same structure; its initial weights are overwritten.</param>
    /// <param name="stepFactory">
    /// Given the master parameters, returns the optimizer step: reduce their gradients across ranks if needed, update
    /// them in place and clear the gradients.
    /// </param>
    public PipeDream2BWStageModel(IPipelineStageReplica even, IPipelineStageReplica odd, Func<IReadOnlyList<Parameter>, Action> stepFactory)
    {
        ArgumentNullException.ThrowIfNull(even);
        ArgumentNullException.ThrowIfNull(odd);
        ArgumentNullException.ThrowIfNull(stepFactory);
        if (even.Parameters.Count != odd.Parameters.Count)
            throw new ArgumentException($"the two replicas differ: {even.Parameters.Count} and {odd.Parameters.Count} parameters", nameof(odd));
        _replicas = [even, odd];
        using (no_grad())
        {
            _master = even.Parameters.Select(p => new Parameter(p.detach().clone(), requires_grad: true)).ToArray();
            CopyInto(_master, odd.Parameters);
        }

        _step = stepFactory(_master);
    }

    /// <param name="even">The replica that holds versions 0, 2, 4, ... (initialised with the starting weights).</param>
    /// <param name="odd">A second replica with the same structure; its initial weights are overwritten.</param>
    /// <param name="optimizerFactory">Builds a torch optimizer over the master parameters.</param>
    /// <param name="synchronizeGradients">Reduces the master gradients across ranks before each step, if needed.</param>
    public PipeDream2BWStageModel(
        IPipelineStageReplica even, IPipelineStageReplica odd,
        Func<IReadOnlyList<Parameter>, optim.Optimizer> optimizerFactory,
        Action<IReadOnlyList<Parameter>>? synchronizeGradients)
        : this(even, odd, master =>
        {
            ArgumentNullException.ThrowIfNull(optimizerFactory);
            var optimizer = optimizerFactory(master);
            return () =>
            {
                synchronizeGradients?.Invoke(master);
                optimizer.step();
                optimizer.zero_grad();
            };
        })
    {
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

        _step();
        using (no_grad())
        {
            CopyInto(_master, _replicas[createdVersion % 2].Parameters);
        }
    }

    /// <summary>
    /// Starts a new schedule (a new run of batches after a drain): its first two batches compute with the newest
    /// weights, which the schedule calls version 0, so they are copied into the even replica.
    /// </summary>
    public void Restart()
    {
        using (no_grad())
        {
            CopyInto(_master, _replicas[0].Parameters);
        }
    }

    /// <summary>The newest weights (what the next created version is computed from).</summary>
    public IReadOnlyList<Parameter> NewestWeights => _master;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var parameter in _master) parameter.Dispose();
    }

    private static void CopyInto(IReadOnlyList<Parameter> source, IReadOnlyList<Parameter> destination)
    {
        for (var i = 0; i < source.Count; i++) destination[i].copy_(source[i]);
    }
}
