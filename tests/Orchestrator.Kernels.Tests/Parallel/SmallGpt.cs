using Orchestrator.Kernels.Model;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>The small GPT of issue 4's equality tests and a fixed batch for it.</summary>
internal static class SmallGpt
{
    public const long Seed = 1234;

    public static readonly GptConfig Config = new(Layers: 4, Hidden: 64, Heads: 4, Vocabulary: 256, SequenceLength: 32);

    /// <summary>A batch of <paramref name="sequences"/> token sequences and their next-token targets.</summary>
    public static (Tensor Tokens, Tensor Targets) Batch(int sequences, long seed = 99)
    {
        using var generator = new Generator((ulong)seed);
        using var stream = randint(0, Config.Vocabulary, [sequences, Config.SequenceLength + 1], ScalarType.Int64, generator: generator);
        return (stream.narrow(1, 0, Config.SequenceLength).contiguous(), stream.narrow(1, 1, Config.SequenceLength).contiguous());
    }

    /// <summary>||actual - expected|| / ||expected|| (0 when both are zero).</summary>
    public static double RelativeError(Tensor actual, Tensor expected)
    {
        using var difference = actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64);
        var scale = expected.to(ScalarType.Float64).norm().item<double>();
        var error = difference.norm().item<double>();
        return scale == 0 ? error : error / scale;
    }
}
