using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Communication.Gloo;

namespace Orchestrator.Workloads.Training;

/// <summary>
/// A run split over processes (one worker per node): which process hosts each world rank, which one this is, and where
/// the processes meet. The communicator is chosen by device kind: Gloo over TCP for CPU tensors (see
/// <see cref="NetworkWorld"/>); a GPU run would need an NCCL world (docs/kernels.md).
/// </summary>
/// <param name="ProcessOfRank">The process (node index) of each world rank.</param>
/// <param name="ThisProcess">This process's index.</param>
/// <param name="Rendezvous">The attempt's rendezvous.</param>
public sealed record ProcessPlacement(IReadOnlyList<int> ProcessOfRank, int ThisProcess, GlooRendezvous Rendezvous)
{
    /// <summary>This process's share of the grid's world.</summary>
    /// <exception cref="NotSupportedException">The device is not a CPU: only the Gloo communicator exists.</exception>
    internal IRankWorld CreateWorld(ParallelGrid grid, string device) => device.StartsWith("cpu", StringComparison.OrdinalIgnoreCase)
        ? new NetworkWorld(grid, ProcessOfRank, ThisProcess, Rendezvous)
        : throw new NotSupportedException(
            $"Device '{device}': a run split over processes needs a communicator for that device kind; only Gloo (CPU tensors) is built. " +
            "An NCCL communicator is described in docs/kernels.md.");
}
