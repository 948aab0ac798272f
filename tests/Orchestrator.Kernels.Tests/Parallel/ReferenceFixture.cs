using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>The single-device reference of the equality tests, trained once per test class.</summary>
public sealed class ReferenceFixture
{
    public const int Steps = 3;
    public const double LearningRate = 1e-3;
    public const double MaxNorm = 0.5;

    public ReferenceFixture()
    {
        (Tokens, Targets) = SmallGpt.Batch(sequences: 4);
        Run = ReferenceRun.Train(Tokens, Targets, Steps, LearningRate, MaxNorm);
    }

    internal Tensor Tokens { get; }

    internal Tensor Targets { get; }

    internal ReferenceRun Run { get; }
}
