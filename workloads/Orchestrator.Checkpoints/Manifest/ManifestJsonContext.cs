using System.Text.Json.Serialization;

namespace Orchestrator.Checkpoints.Manifest;

/// <summary>Source-generated JSON for manifests: no reflection at load time, enums as names so files stay readable.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CheckpointManifest))]
[JsonSerializable(typeof(CheckpointPartFile))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
