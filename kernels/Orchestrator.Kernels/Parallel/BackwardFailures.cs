using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Parallel;

/// <summary>
/// Carries an exception out of a custom autograd function's backward. LibTorch's autograd engine calls those backwards
/// through native code, and a managed exception cannot cross it: the process ends (exit 134, "Unhandled exception"),
/// as a pipeline rank did when a peer process died while its backward was all-reducing (the collective's failure, or
/// the cancellation that wakes the rank's in-process partners, surfaced inside the callback). A guarded backward
/// records the failure and returns no gradients, the engine finishes, and <see cref="Backward"/> rethrows it on the
/// thread that asked for the backward pass.
/// </summary>
/// <remarks>
/// Thread-static by necessity: on the CPU the engine runs the callbacks on the thread that called backward, and nothing
/// but that thread connects the callback with the call.
/// </remarks>
internal static class BackwardFailures
{
    [ThreadStatic]
    private static ExceptionDispatchInfo? pending;

    /// <summary>
    /// Runs a backward body; if it throws, keeps the first failure of this backward pass for <see cref="Backward"/> and
    /// returns <paramref name="inputs"/> undefined gradients (LibTorch treats them as zeros; the pass is failing anyway).
    /// </summary>
    public static List<Tensor> Guard(int inputs, Func<List<Tensor>> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            pending ??= ExceptionDispatchInfo.Capture(e);
            return [.. Enumerable.Repeat<Tensor>(null!, inputs)];
        }
    }

    /// <summary>Runs a backward pass and rethrows the first exception a guarded backward threw during it.</summary>
    public static void Backward(Action backward)
    {
        pending = null;
        try
        {
            backward();
        }
        finally
        {
            var failure = pending;
            pending = null;
            failure?.Throw();
        }
    }
}
