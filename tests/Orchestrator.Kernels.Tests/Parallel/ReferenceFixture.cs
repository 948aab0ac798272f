using Orchestrator.Kernels.Model;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>The single-device references of the equality tests, trained once per test class and model shape.</summary>
public sealed class ReferenceFixture
{
    public const int Steps = 3;
    public const double LearningRate = 1e-3;
    public const double MaxNorm = 0.5;

    // The key bias has an exactly zero gradient (softmax ignores a shift shared by a row of scores), so AdamW sees pure
    // rounding noise there, which eps 1e-8 would amplify to a visible fraction of a step; 1e-6 keeps it negligible.
    public const double Epsilon = 1e-6;

    private readonly Dictionary<GptConfig, ReferenceRun> runs = [];

    public ReferenceFixture()
    {
        (Tokens, Targets) = SmallGpt.Batch(sequences: 4);
    }

    internal Tensor Tokens { get; }

    internal Tensor Targets { get; }

    /// <summary>The reference run of the small GPT.</summary>
    internal ReferenceRun Run => For(SmallGpt.Config);

    /// <summary>The reference run of <paramref name="config"/> on the same batch.</summary>
    internal ReferenceRun For(GptConfig config)
    {
        lock (runs)
        {
            if (!runs.TryGetValue(config, out var run))
            {
                run = ReferenceRun.Train(config, Tokens, Targets, Steps, LearningRate, MaxNorm);
                runs.Add(config, run);
            }

            return run;
        }
    }
}
