using static TorchSharp.torch;

namespace Orchestrator.Kernels.Model;

/// <summary>
/// The attention keys and values of the tokens a <see cref="Gpt"/> has already seen, per layer, so that decoding one
/// more token costs one position instead of the whole sequence (<see cref="Gpt.Forward(Tensor, GptKeyValueCache)"/>).
/// </summary>
/// <param name="layers">The model's layer count.</param>
public sealed class GptKeyValueCache(int layers) : IDisposable
{
    private readonly Tensor?[] _keys = new Tensor?[layers];
    private readonly Tensor?[] _values = new Tensor?[layers];

    /// <summary>Tokens held (the position the next token takes).</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>Adds a layer's new keys and values [batch, heads, new, headSize]; returns all of them (owned by the cache).</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        _keys[layer] = Concatenate(_keys[layer], keys);
        _values[layer] = Concatenate(_values[layer], values);
        return (_keys[layer]!, _values[layer]!);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values))
        {
            tensor?.Dispose();
        }
    }

    private static Tensor Concatenate(Tensor? held, Tensor added)
    {
        if (held is null)
        {
            return added.contiguous();
        }

        using (held)
        {
            return cat([held, added], 2);
        }
    }
}
