using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>Contributions collected across processes: <see cref="All"/> in group order, of which <see cref="Owned"/> were created here.</summary>
internal sealed record Gathered(IReadOnlyList<Tensor> All, IReadOnlyList<Tensor> Owned) : IDisposable
{
    public void Dispose()
    {
        foreach (var tensor in Owned) tensor.Dispose();
    }
}
