namespace Orchestrator.Worker;

/// <summary>
/// Which errors from the device runtime point at the hardware rather than at the job: the worker then exits with
/// <c>WorkerExitCodes.DeviceFault</c> and the control plane charges the node's devices. Deliberately narrow (CUDA's
/// own wording for uncorrectable ECC and NVLink errors, a GPU lost from the bus, a hardware stack error): an illegal
/// memory access or a device-side assert is usually the program's bug, and charging a healthy device is worse than
/// missing a fault, which heartbeats and repeated failures still catch.
/// </summary>
internal static class DeviceFaults
{
    private static readonly string[] Signatures =
    [
        "uncorrectable ECC error",
        "uncorrectable NVLink error",
        "GPU has fallen off the bus",
        "GPU is lost",
        "hardware stack error",
    ];

    /// <summary>True when <paramref name="error"/> (or an inner error) carries a hardware fault's message.</summary>
    public static bool Indicate(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (Signatures.Any(s => current.Message.Contains(s, StringComparison.OrdinalIgnoreCase))) return true;
        }

        return false;
    }
}
