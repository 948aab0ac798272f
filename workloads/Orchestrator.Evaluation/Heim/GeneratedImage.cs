namespace Orchestrator.Evaluation.Heim;

/// <summary>One generated image: its encoded bytes (PNG or JPEG) and the prompt the server says it used, if it rewrote it.</summary>
/// <param name="Encoded">The image file's bytes.</param>
/// <param name="RevisedPrompt">The server's rewritten prompt, when it reports one.</param>
public sealed record GeneratedImage(byte[] Encoded, string? RevisedPrompt = null);
