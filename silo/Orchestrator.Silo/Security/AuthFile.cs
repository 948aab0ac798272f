using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Contracts.Security;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Reads and writes the auth file (JSON): the cluster key and the tokens, each kept as its SHA-256. A token is 32 random
/// bytes, so a plain SHA-256 (no salt, no stretching) cannot be reversed by guessing; a password would need more.
/// </summary>
internal static class AuthFile
{
    /// <summary>What every API token starts with (worker secrets start with <see cref="WorkerCredentials.Prefix"/>).</summary>
    public const string TokenPrefix = "orch_";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <exception cref="ArgumentException">The file is missing or malformed; the message names it and the field.</exception>
    public static AuthDocument Load(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"auth file '{path}' does not exist (create one with 'orch token create --file {path} ...')");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The document in <paramref name="text"/>, read from <paramref name="path"/> (named in errors).</summary>
    /// <exception cref="ArgumentException">The text is malformed; the message names the file and the field.</exception>
    public static AuthDocument Parse(string text, string path)
    {
        AuthDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<AuthDocument>(text, Json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"auth file '{path}' is not valid: {e.Path}: {e.Message}", e);
        }

        if (document is null) throw new ArgumentException($"auth file '{path}' is empty");
        if (!TryKey(document.ClusterKey, out _)) throw new ArgumentException($"auth file '{path}': clusterKey must be 32 or more bytes in base64");
        foreach (var (token, i) in (document.Tokens ?? []).Select((t, i) => (t, i)))
        {
            if (string.IsNullOrWhiteSpace(token.User)) throw new ArgumentException($"auth file '{path}': tokens[{i}].user is required");
            if (token.Sha256 is not { Length: 64 } || !token.Sha256.All(Uri.IsHexDigit))
                throw new ArgumentException($"auth file '{path}': tokens[{i}].sha256 must be 64 hex digits");
            if (!Enum.IsDefined(token.Role)) throw new ArgumentException($"auth file '{path}': tokens[{i}].role must be user, operator or admin");
        }

        return document with { Tokens = document.Tokens ?? [] };
    }

    /// <summary>A new document with a fresh cluster key and no tokens.</summary>
    public static AuthDocument Empty() => new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), []);

    /// <summary>Makes a token and its entry; the token text is shown once and never stored.</summary>
    public static (string Token, TokenEntry Entry) NewToken(string user, Role role, IReadOnlyList<string> queues, DateTimeOffset now)
    {
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var id = "t-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return (token, new TokenEntry(id, user, role, queues, Hash(token), now));
    }

    /// <summary>Adds a token for <paramref name="user"/> to the file (creating it), and returns the token's text.</summary>
    public static string AddToken(string path, string user, Role role, IReadOnlyList<string> queues, DateTimeOffset now)
    {
        var document = File.Exists(path) ? Load(path) : Empty();
        var (token, entry) = NewToken(user, role, queues, now);
        Save(path, document with { Tokens = [.. document.Tokens, entry] });
        return token;
    }

    /// <summary>
    /// Removes from the file every token of <paramref name="user"/>, or the one token <paramref name="id"/> (exactly one
    /// of them); a silo reading the file refuses them from its next reload on.
    /// </summary>
    /// <returns>The removed entries.</returns>
    /// <exception cref="ArgumentException">Neither or both were given, the file is unreadable, or nothing matched; the message names the option.</exception>
    public static IReadOnlyList<TokenEntry> Revoke(string path, string? user, string? id)
    {
        if ((user is null) == (id is null)) throw new ArgumentException("give exactly one of --user NAME and --id TOKENID");
        var document = Load(path);
        var revoked = document.Tokens.Where(t => id is not null ? t.Id == id : t.User == user).ToList();
        if (revoked.Count == 0)
            throw new ArgumentException(id is not null
                ? $"--id: no token '{id}' in '{path}'; its ids: {string.Join(", ", document.Tokens.Select(t => t.Id))}"
                : $"--user: no token of '{user}' in '{path}'; its users: {string.Join(", ", document.Tokens.Select(t => t.User).Distinct())}");
        Save(path, document with { Tokens = document.Tokens.Except(revoked).ToList() });
        return revoked;
    }

    /// <summary>Writes the document atomically, readable by its owner only.</summary>
    public static void Save(string path, AuthDocument document)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(temporary, options)) writer.Write(JsonSerializer.Serialize(document, Json));
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 text.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool TryKey(string? base64, out byte[] key)
    {
        key = [];
        if (base64 is null) return false;
        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, buffer, out var written) || written < 32) return false;
        key = buffer[..written];
        return true;
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
