namespace Orchestrator.Evaluation.Heim;

/// <summary>A text-to-image model as HEIM evaluates it.</summary>
public interface IImageModelClient
{
    /// <summary>What identifies the model's answers.</summary>
    string ModelId { get; }

    /// <summary>Generates the images of one request.</summary>
    Task<ImageGenerationResult> GenerateAsync(ImageGenerationRequest request, CancellationToken cancellationToken);
}
