namespace Orchestrator.Kernels.Native;

/// <summary>What <see cref="TorchRuntime.EnsureLoaded"/> did.</summary>
/// <param name="RemedyApplied">True when the host's libstdc++ lacked GLIBCXX_3.4.32 and the shim was used.</param>
/// <param name="GlueLibraryPath">The patched libLibTorchSharp.so that TorchSharp loads, when the remedy was applied.</param>
/// <param name="ShimPath">The compiled shim that supplies the missing symbol, when the remedy was applied.</param>
public sealed record TorchRuntimeReport(bool RemedyApplied, string? GlueLibraryPath, string? ShimPath);
