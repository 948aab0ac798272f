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

    /// <summary>
    /// What a collective lets other ranks' threads read: the same memory, without this rank's autograd history. The
    /// readers keep what they make of it (aliases from <c>to()</c>, views) in their own dispose scopes or leave it to
    /// the finalizer; were that the tensor itself, the last of those references could free this rank's autograd graph
    /// on another thread, where TorchSharp's clean-up of a custom function's node disposes tensors this rank's dispose
    /// scope still owns, racing with it (a double free that corrupted the C heap under t2·p2 in one process). The caller
    /// disposes it once the collective has returned, when every reader is done.
    /// </summary>
    public static Tensor Shareable(Tensor tensor) => tensor.detach();

    /// <summary>A contiguous CPU copy of <paramref name="tensor"/> the caller owns (detached from autograd).</summary>
    public static Tensor HostCopy(Tensor tensor) => tensor.detach().to(CPU).contiguous().clone();
}
