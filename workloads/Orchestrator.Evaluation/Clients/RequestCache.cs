using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Clients;

/// <summary>
/// Answers already obtained from models, keyed by (model id, request), kept in an append-only JSON-lines file so a
/// re-run or a resumed shard asks the model nothing twice. Each <see cref="Put"/> is flushed to disk before it returns;
/// a last line torn by a crash is dropped when the cache is opened. One process owns a cache directory at a time (the
/// file is opened exclusively, so a second owner gets an IOException instead of interleaved lines).
/// </summary>
public sealed class RequestCache : IDisposable
{
    /// <summary>The file inside the cache directory.</summary>
    public const string FileName = "requests.jsonl";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Log-probabilities can be -Infinity (a token the model rules out); JSON has no literal for it.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly Dictionary<string, CacheEntry> _entries;
    private readonly FileStream _file;
    private readonly Lock _gate = new();

    private RequestCache(Dictionary<string, CacheEntry> entries, FileStream file)
    {
        _entries = entries;
        _file = file;
    }

    /// <summary>Answers held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Opens (creating if needed) the cache in <paramref name="directory"/> and reads what it holds.</summary>
    /// <exception cref="InvalidDataException">A line other than the last is not a cache entry.</exception>
    /// <exception cref="IOException">Another process has the cache open.</exception>
    public static RequestCache Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        try
        {
            var entries = ReadEntries(file, path);
            return new RequestCache(entries, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The stable key of a request to a model: SHA-256 over a canonical JSON form (never GetHashCode).</summary>
    public static string KeyOf(string modelId, ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentNullException.ThrowIfNull(request);
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new { modelId, request }, Json);
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    /// <summary>The answer cached for this model and request, if any.</summary>
    public bool TryGet(string modelId, ModelRequest request, out RequestResult result)
    {
        var key = KeyOf(modelId, request);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.ModelId == modelId && entry.Request.Equals(request))
            {
                result = entry.Result.ToResult();
                return true;
            }
        }

        result = null!;
        return false;
    }

    /// <summary>Records an answer; on disk (flushed through the OS cache) before this returns.</summary>
    public void Put(string modelId, ModelRequest request, RequestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var entry = new CacheEntry(KeyOf(modelId, request), modelId, request, CachedResult.From(result));
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, Json);
        lock (_gate)
        {
            _file.Seek(0, SeekOrigin.End);
            _file.Write(line);
            _file.Write(NewLine);
            _file.Flush(flushToDisk: true);
            _entries[entry.Key] = entry;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
        }
    }

    private static Dictionary<string, CacheEntry> ReadEntries(FileStream file, string path)
    {
        var entries = new Dictionary<string, CacheEntry>(StringComparer.Ordinal);
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        var start = 0;
        var lineNumber = 0;
        while (start < bytes.Length)
        {
            lineNumber++;
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                // A crash mid-append leaves a last line without its newline: drop it so the next append starts clean.
                file.SetLength(start);
                break;
            }

            var line = bytes.AsSpan(start, end - start);
            if (!line.IsEmpty)
            {
                var entry = Parse(line, path, lineNumber, isLast: end == bytes.Length - 1);
                if (entry is null)
                {
                    file.SetLength(start);
                    break;
                }

                entries[entry.Key] = entry;
            }

            start = end + 1;
        }

        return entries;
    }

    private static CacheEntry? Parse(ReadOnlySpan<byte> line, string path, int lineNumber, bool isLast)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<CacheEntry>(line, Json);
            if (entry?.Request is not null && entry.Result is not null && entry.Key == KeyOf(entry.ModelId, entry.Request))
            {
                return entry;
            }
        }
        catch (JsonException) when (isLast)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{lineNumber}: not a request cache entry: {e.Message}", e);
        }

        return isLast ? null : throw new InvalidDataException(
            $"{path}:{lineNumber}: not a request cache entry (missing fields or a key that does not match its request)");
    }
}
