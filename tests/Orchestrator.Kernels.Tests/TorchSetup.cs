using System.Runtime.CompilerServices;
using Orchestrator.Kernels.Native;

namespace Orchestrator.Kernels.Tests;

/// <summary>Tests call TorchSharp directly (to build batches) before touching a kernel type; load it first.</summary>
internal static class TorchSetup
{
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.EnsureLoaded();
}
