using System.Text.Json;
using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// The per-process shard lists of distributed saves, written like manifests (complete, flushed, renamed into place)
/// so the coordinator never reads a torn one, and removed once the merged manifest is committed or given up.
/// </summary>
internal sealed class PartRepository(StorePaths paths, bool durable)
{
    public void Write(CheckpointPartFile part, int index)
    {
        var path = paths.Part(part.Shards.Id, index);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = paths.NewTemporary("part");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(JsonSerializer.SerializeToUtf8Bytes(part, ManifestJsonContext.Default.CheckpointPartFile));
                if (durable) stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <exception cref="IOException">A part is missing or unreadable; the message names it.</exception>
    public async Task<IReadOnlyList<CheckpointPartFile>> ReadAllAsync(CheckpointId id, int parts, CancellationToken cancellationToken)
    {
        var result = new CheckpointPartFile[parts];
        for (var k = 0; k < parts; k++)
        {
            var path = paths.Part(id, k);
            try
            {
                var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                result[k] = JsonSerializer.Deserialize(bytes, ManifestJsonContext.Default.CheckpointPartFile)
                    ?? throw new IOException($"part {k} of checkpoint {id} ({path}) is empty");
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
            {
                throw new IOException($"part {k} of checkpoint {id} cannot be read from {path}: {e.Message}", e);
            }

            if (result[k].Shards.Id != id) throw new IOException($"part {k} of checkpoint {id} ({path}) holds checkpoint {result[k].Shards.Id}");
        }

        return result;
    }

    public void Delete(CheckpointId id)
    {
        var directory = paths.PartDirectory(id);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
