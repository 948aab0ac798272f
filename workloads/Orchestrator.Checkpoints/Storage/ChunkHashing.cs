using System.Buffers;
using System.Security.Cryptography;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>SHA-256 content addresses as lower-case hex.</summary>
internal static class ChunkHashing
{
    public const int HexLength = 64;

    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    public static string Hash(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static bool IsWellFormed(string? hash) => hash is not null && IsWellFormed(hash.AsSpan());

    public static bool IsWellFormed(ReadOnlySpan<char> hash) =>
        hash.Length == HexLength && !hash.ContainsAnyExcept(LowerHexDigits);
}
