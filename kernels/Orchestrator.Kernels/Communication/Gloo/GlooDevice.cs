using Orchestrator.Kernels.Native;

namespace Orchestrator.Kernels.Communication.Gloo;

/// <summary>This process's Gloo TCP endpoint, shared by all its contexts; bound to the address peers reach it at.</summary>
internal sealed class GlooDevice : IDisposable
{
    private GlooDevice(IntPtr handle) => Handle = handle;

    public IntPtr Handle { get; private set; }

    public static GlooDevice Create(string address)
    {
        GlooNative.EnsureLoaded();
        var error = new byte[GlooNative.ErrorCapacity];
        var handle = GlooNative.DeviceCreate(address, error, error.Length);
        return handle != IntPtr.Zero
            ? new GlooDevice(handle)
            : throw new CollectiveFailedException($"Creating a Gloo TCP device on {address} failed: {GlooNative.Message(error)}");
    }

    public void Dispose()
    {
        if (Handle != IntPtr.Zero)
        {
            GlooNative.DeviceFree(Handle);
            Handle = IntPtr.Zero;
        }
    }
}
