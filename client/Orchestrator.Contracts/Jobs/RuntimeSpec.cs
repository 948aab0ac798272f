namespace Orchestrator.Contracts.Jobs;

/// <summary>What runs the ranks: the built-in TorchSharp runtime, or an external container given the same plan.</summary>
/// <param name="Image">Container image for an external trainer; null for the built-in runtime.</param>
/// <param name="Command">The container's command.</param>
[GenerateSerializer, Immutable]
public sealed record RuntimeSpec(
    [property: Id(0)] string? Image = null,
    [property: Id(1)] IReadOnlyList<string>? Command = null)
{
    /// <summary>True for the built-in runtime.</summary>
    public bool IsBuiltIn => Image is null;

    /// <summary>The built-in runtime.</summary>
    public static RuntimeSpec BuiltIn { get; } = new();
}
