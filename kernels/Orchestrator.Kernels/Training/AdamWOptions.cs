namespace Orchestrator.Kernels.Training;

/// <summary>AdamW with decoupled weight decay (Loshchilov and Hutter), applied to every parameter as torch.optim.AdamW does.</summary>
/// <param name="LearningRate">Step size.</param>
/// <param name="Beta1">Decay of the first-moment estimate.</param>
/// <param name="Beta2">Decay of the second-moment estimate.</param>
/// <param name="Epsilon">Added to the denominator.</param>
/// <param name="WeightDecay">Decoupled decay per step, multiplied by the learning rate.</param>
public sealed record AdamWOptions(
    double LearningRate = 1e-3,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-8,
    double WeightDecay = 0.01)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is out of range.</summary>
    public AdamWOptions Validate()
    {
        Require(LearningRate > 0, nameof(LearningRate), $"must be positive, got {LearningRate}");
        Require(Beta1 is >= 0 and < 1, nameof(Beta1), $"must be in [0, 1), got {Beta1}");
        Require(Beta2 is >= 0 and < 1, nameof(Beta2), $"must be in [0, 1), got {Beta2}");
        Require(Epsilon > 0, nameof(Epsilon), $"must be positive, got {Epsilon}");
        Require(WeightDecay >= 0, nameof(WeightDecay), $"must not be negative, got {WeightDecay}");
        return this;
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"AdamWOptions.{field} {message}.", field);
        }
    }
}
