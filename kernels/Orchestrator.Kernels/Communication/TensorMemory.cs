using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Communication;

/// <summary>The address of a contiguous CPU tensor's memory, for native calls that read or write it in place.</summary>
internal static class TensorMemory
{
    public static unsafe IntPtr Address(Tensor tensor)
    {
        if (tensor.device_type != TorchSharp.DeviceType.CPU || !tensor.is_contiguous())
        {
            throw new ArgumentException("Only contiguous CPU tensors can be handed to native code in place.", nameof(tensor));
        }

        // LibTorch's CPU memory does not move, so the address outlives the span.
        return (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
    }

    /// <summary>A contiguous CPU copy of <paramref name="tensor"/> the caller owns (detached from autograd).</summary>
    public static Tensor HostCopy(Tensor tensor) => tensor.detach().to(CPU).contiguous().clone();
}
