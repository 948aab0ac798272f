namespace Orchestrator.Evaluation.Heim;

/// <summary>A text-to-image request (HEIM's request fields that image APIs take).</summary>
/// <param name="Model">Model (deployment) name.</param>
/// <param name="Prompt">The text prompt.</param>
/// <param name="NumImages">Images wanted.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
public sealed record ImageGenerationRequest(string Model, string Prompt, int NumImages = 1, int Width = 512, int Height = 512)
{
    /// <summary>Refuses bad values, naming the field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (NumImages < 1)
        {
            throw new ArgumentException($"numImages: must be >= 1, got {NumImages}", nameof(NumImages));
        }

        if (Width < 1 || Height < 1)
        {
            throw new ArgumentException($"width, height: must be >= 1, got {Width}x{Height}", nameof(Width));
        }
    }
}
