using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Model;

/// <summary>
/// Draws every parameter of the full (unsharded) model from its own random stream, keyed by the seed and the
/// parameter's canonical name. A rank then keeps its slice, so the same seed gives the same full model whatever the
/// parallel layout, and one parameter's values never depend on which others a rank builds.
/// </summary>
internal sealed class ParameterInitializer(GptConfig config, long seed)
{
    /// <summary>The initial value of the full parameter <paramref name="name"/>, chosen by what the name says it is.</summary>
    public Tensor Initial(string name, long[] shape)
    {
        if (name.EndsWith(".bias", StringComparison.Ordinal))
        {
            return Zeros(shape);
        }

        if (name.EndsWith("norm.weight", StringComparison.Ordinal))
        {
            return Ones(shape);
        }

        var residualOutput = name.EndsWith("attention.output.weight", StringComparison.Ordinal)
            || name.EndsWith("mlp.down.weight", StringComparison.Ordinal);
        return Weight(name, shape, residualOutput);
    }

    /// <summary>Normal(0, std) for weight matrices and embeddings; output projections scaled by 1/sqrt(2·layers) (GPT-2).</summary>
    public Tensor Weight(string name, long[] shape, bool residualOutput = false)
    {
        var std = config.InitStandardDeviation / (residualOutput ? Math.Sqrt(2.0 * config.Layers) : 1.0);
        using var generator = new Generator(StreamSeed(name), CPU);
        using var standard = randn(shape, ScalarType.Float32, CPU, generator: generator);
        return standard.mul(std);
    }

    /// <summary>Biases and norm shifts start at zero.</summary>
    public static Tensor Zeros(long[] shape) => zeros(shape, ScalarType.Float32, CPU);

    /// <summary>Norm scales start at one.</summary>
    public static Tensor Ones(long[] shape) => ones(shape, ScalarType.Float32, CPU);

    /// <summary>A 64-bit FNV-1a hash of the seed and name, so streams differ per parameter and are stable across runs.</summary>
    private ulong StreamSeed(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in BitConverter.GetBytes(seed).Concat(Encoding.UTF8.GetBytes(name)))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
