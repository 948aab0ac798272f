using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Evaluation.Randomness;

/// <summary>
/// CPython's <c>random.Random</c>: MT19937 seeded as CPython seeds it (an int by its 32-bit words, a str by its UTF-8
/// bytes followed by their SHA-512, version 2), with CPython's <c>random</c>, <c>_randbelow</c>, <c>choice</c>,
/// <c>shuffle</c> and <c>sample</c>. HELM draws in-context examples and perturbations with it, so the same seed picks
/// the same examples and typos as HELM. Written here because no .NET library reproduces CPython's streams.
/// </summary>
internal sealed class PythonRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index = N + 1;

    public PythonRandom(long seed) => InitByArray(WordsOf(BigEndianMagnitude(Math.Abs(seed))));

    public PythonRandom(string seed)
    {
        var text = Encoding.UTF8.GetBytes(seed);
        InitByArray(WordsOf([.. text, .. SHA512.HashData(text)]));
    }

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /// <summary><c>_randbelow_with_getrandbits(n)</c>: rejection sampling on <c>n.bit_length()</c> bits.</summary>
    public int Below(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var bits = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)n);
        var r = NextUInt32() >> (32 - bits);
        while (r >= n)
        {
            r = NextUInt32() >> (32 - bits);
        }

        return (int)r;
    }

    public T Choice<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Below(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>CPython's <c>sample</c>: a pool for small populations, a rejection set for large ones.</summary>
    public List<T> Sample<T>(IReadOnlyList<T> population, int k)
    {
        var n = population.Count;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        var result = new List<T>(k);
        var setSize = 21;
        if (k > 5)
        {
            setSize += (int)Math.Pow(4, Math.Ceiling(Math.Log(k * 3) / Math.Log(4)));
        }

        if (n <= setSize)
        {
            var pool = population.ToList();
            for (var i = 0; i < k; i++)
            {
                var j = Below(n - i);
                result.Add(pool[j]);
                pool[j] = pool[n - i - 1];
            }
        }
        else
        {
            var selected = new HashSet<int>();
            for (var i = 0; i < k; i++)
            {
                var j = Below(n);
                while (!selected.Add(j))
                {
                    j = Below(n);
                }

                result.Add(population[j]);
            }
        }

        return result;
    }

    private static byte[] BigEndianMagnitude(long value)
    {
        var bytes = BitConverter.GetBytes((ulong)value);
        Array.Reverse(bytes);
        return bytes;
    }

    /// <summary>The integer's 32-bit words, least significant first, without high zero words (at least one).</summary>
    private static uint[] WordsOf(byte[] bigEndian)
    {
        var words = new List<uint>();
        for (var end = bigEndian.Length; end > 0; end -= 4)
        {
            uint word = 0;
            for (var i = Math.Max(0, end - 4); i < end; i++)
            {
                word = (word << 8) | bigEndian[i];
            }

            words.Add(word);
        }

        while (words.Count > 1 && words[^1] == 0)
        {
            words.RemoveAt(words.Count - 1);
        }

        return words.Count == 0 ? [0u] : [.. words];
    }

    private void InitGenrand(uint seed)
    {
        _state[0] = seed;
        for (var i = 1; i < N; i++)
        {
            _state[i] = unchecked(1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i);
        }

        _index = N;
    }

    private void InitByArray(uint[] key)
    {
        InitGenrand(19650218u);
        int i = 1, j = 0;
        for (var k = Math.Max(N, key.Length); k > 0; k--)
        {
            _state[i] = unchecked((_state[i] ^ ((_state[i - 1] ^ (_state[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j);
            i++;
            j++;
            if (i >= N)
            {
                _state[0] = _state[N - 1];
                i = 1;
            }

            if (j >= key.Length)
            {
                j = 0;
            }
        }

        for (var k = N - 1; k > 0; k--)
        {
            _state[i] = unchecked((_state[i] ^ ((_state[i - 1] ^ (_state[i - 1] >> 30)) * 1566083941u)) - (uint)i);
            i++;
            if (i >= N)
            {
                _state[0] = _state[N - 1];
                i = 1;
            }
        }

        _state[0] = 0x80000000u;
    }

    private uint NextUInt32()
    {
        if (_index >= N)
        {
            Twist();
        }

        var y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    private void Twist()
    {
        for (var k = 0; k < N; k++)
        {
            var y = (_state[k] & 0x80000000u) | (_state[(k + 1) % N] & 0x7fffffffu);
            _state[k] = _state[(k + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908b0dfu : 0u);
        }

        _index = 0;
    }
}
