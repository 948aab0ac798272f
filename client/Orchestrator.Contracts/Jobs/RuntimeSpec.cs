namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// What runs the ranks: the built-in TorchSharp runtime, or the user's own program given the same plan through
/// torchrun-compatible environment variables. With an <see cref="Image"/> it is a container (Kubernetes backend);
/// with only a <see cref="Command"/> it is a plain process (the local backend runs <c>command</c> + <c>args</c> in
/// both cases and ignores the image).
/// </summary>
/// <param name="Image">Container image for the user's program; null for the built-in runtime or a plain process.</param>
/// <param name="Command">The program and its fixed arguments (the container's entrypoint); null for the built-in runtime
/// (or the image's own entrypoint).</param>
/// <param name="Args">Further arguments after the command.</param>
/// <param name="Env">Extra environment variables for the program (they may not override the ones the control plane sets).</param>
[GenerateSerializer, Immutable]
public sealed record RuntimeSpec(
    [property: Id(0)] string? Image = null,
    [property: Id(1)] IReadOnlyList<string>? Command = null,
    [property: Id(2)] IReadOnlyList<string>? Args = null,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Env = null)
{
    /// <summary>True for the built-in runtime: neither an image nor a command.</summary>
    public bool IsBuiltIn => Image is null && Command is null;

    /// <summary>The built-in runtime.</summary>
    public static RuntimeSpec BuiltIn { get; } = new();
}
