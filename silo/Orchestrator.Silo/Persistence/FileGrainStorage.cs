using System.Text;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orchestrator.Silo.Persistence;

/// <summary>
/// Grain state as files under a directory, for the embedded daemon: one file per grain, written to a temporary
/// file, flushed, then renamed over the old one, so a crash leaves either the old or the new state, never half.
/// The file starts with its ETag line; a write whose ETag no longer matches is refused (another activation wrote).
/// </summary>
internal sealed class FileGrainStorage(string root, Serializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var (etag, payload) = Split(await File.ReadAllBytesAsync(path));
        grainState.State = serializer.Deserialize<T>(payload);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        CheckETag(path, grainState.ETag);
        var etag = Guid.NewGuid().ToString("N");
        var payload = serializer.SerializeToArray(grainState.State);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{etag}.tmp";
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(etag + "\n"));
            await stream.WriteAsync(payload);
            await stream.FlushAsync();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        CheckETag(path, grainState.ETag);
        File.Delete(path);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private void CheckETag(string path, string? expected)
    {
        string? current = null;
        if (File.Exists(path))
        {
            using var reader = new StreamReader(path, Encoding.ASCII);
            current = reader.ReadLine();
        }

        if (current != expected)
            throw new InconsistentStateException($"state at {path} was written by someone else", current ?? "(none)", expected ?? "(none)");
    }

    private string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(root, stateName, Uri.EscapeDataString(grainId.Type.ToString()!), Uri.EscapeDataString(grainId.Key.ToString()!) + ".state");

    private static (string ETag, byte[] Payload) Split(byte[] content)
    {
        var newline = Array.IndexOf(content, (byte)'\n');
        if (newline < 0) throw new InvalidDataException("grain state file has no ETag line");
        return (Encoding.ASCII.GetString(content, 0, newline), content[(newline + 1)..]);
    }
}
