using System.Runtime.CompilerServices;

namespace Orchestrator.Kernels.Native;

/// <summary>Prepares the native libraries as soon as any type of this assembly is first used.</summary>
internal static class LoadOnFirstUse
{
    // A library normally should not run code on load (CA2255), but here that is the point: every kernel type needs
    // TorchSharp, and TorchSharp's first call fails on older hosts unless the remedy ran before it.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => TorchRuntime.EnsureLoaded();
}
