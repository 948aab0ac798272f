using System.Text;
using System.Text.Json;

namespace Orchestrator.Checkpoints.Manifest;

/// <summary>
/// Writes a manifest as <c>{"format", "sha256", "manifest"}</c> where sha256 covers the exact bytes of the inner
/// manifest, and reads it back refusing anything torn, altered or inconsistent.
/// </summary>
internal static class ManifestCodec
{
    public const string Format = "orchestrator.checkpoint/v1";

    public static byte[] Encode(CheckpointManifest manifest)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.CheckpointManifest);
        using var buffer = new MemoryStream(body.Length + 200);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("sha256", Storage.ChunkHashing.Hash(body));
            writer.WritePropertyName("manifest");
            writer.WriteRawValue(body, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <exception cref="CheckpointDamagedException">Not JSON, wrong format, checksum mismatch, or the content is inconsistent.</exception>
    public static CheckpointManifest Decode(string name, byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            var format = root.GetProperty("format").GetString();
            if (format != Format)
            {
                throw new CheckpointDamagedException(name, $"manifest format is '{format}', this store reads '{Format}'");
            }

            var body = Encoding.UTF8.GetBytes(root.GetProperty("manifest").GetRawText());
            var expected = root.GetProperty("sha256").GetString();
            if (Storage.ChunkHashing.Hash(body) != expected)
            {
                throw new CheckpointDamagedException(name, "manifest does not match its checksum (altered or torn)");
            }

            var manifest = JsonSerializer.Deserialize(body, ManifestJsonContext.Default.CheckpointManifest)
                ?? throw new CheckpointDamagedException(name, "manifest is null");
            ManifestValidation.Validate(manifest);
            return manifest;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new CheckpointDamagedException(name, $"manifest cannot be read: {e.Message}", e);
        }
    }
}
