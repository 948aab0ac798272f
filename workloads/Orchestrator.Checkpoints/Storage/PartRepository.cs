using System.Text.Json;
using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// The per-process shard lists of distributed saves, written like manifests (complete, flushed, renamed into place)
/// so the coordinator never reads a torn one, and removed once the merged manifest is committed or given up.
/// </summary>
internal sealed class PartRepository(StorePaths paths, StoreFiles files)
{
    public void Write(CheckpointPartFile part, int index)
    {
        var path = paths.Part(part.Shards.Id, index);
        files.EnsureDirectory(Path.GetDirectoryName(path)!);
        var temporary = paths.NewTemporary("part");
        try
        {
            files.Before(StoreStep.Create, temporary);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                files.Before(StoreStep.Write, temporary);
                stream.Write(JsonSerializer.SerializeToUtf8Bytes(part, ManifestJsonContext.Default.CheckpointPartFile));
                files.Flush(stream);
            }

            files.RenameDurably(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) files.Delete(temporary);
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

    public void Delete(CheckpointId id) => files.DeleteDirectory(paths.PartDirectory(id));
}
