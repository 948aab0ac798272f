using System.Security.Cryptography;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>SHA-256 content addresses as lower-case hex.</summary>
internal static class ChunkHashing
{
    public const int HexLength = 64;

    public static string Hash(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static bool IsWellFormed(string? hash) =>
        hash is { Length: HexLength } && hash.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
