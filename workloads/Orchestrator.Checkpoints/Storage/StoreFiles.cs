using Microsoft.Win32.SafeHandles;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// The store's changes to its files, made durable in the order a restore relies on: a file is flushed before it is
/// renamed into place, and the directory is flushed after the rename, so after a crash of the machine a visible name
/// always has its whole content, and a manifest never outlives (in the directory) the renames of its chunks before
/// it. Each change is announced to the <see cref="IStoreFaults"/> hook first. Without <c>durable</c> nothing is flushed.
/// </summary>
internal sealed class StoreFiles(bool durable, IStoreFaults? faults)
{
    public bool Durable => durable;

    public void Before(StoreStep step, string path) => faults?.Before(step, path);

    /// <summary>Creates the directory and any missing parents, flushing the parent of each so the new entry survives.</summary>
    public void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory)) return;
        var parent = Path.GetDirectoryName(directory)!;
        EnsureDirectory(parent);
        Before(StoreStep.CreateDirectory, directory);
        Directory.CreateDirectory(directory);
        SyncDirectory(parent);
    }

    public void Flush(SafeFileHandle file, string path)
    {
        if (!durable) return;
        Before(StoreStep.Flush, path);
        RandomAccess.FlushToDisk(file);
    }

    public void Flush(FileStream file)
    {
        if (!durable) return;
        Before(StoreStep.Flush, file.Name);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Renames a complete, flushed file into place; flushing the directory is the caller's (see <see cref="SyncDirectory"/>).</summary>
    public void Rename(string from, string to, bool overwrite)
    {
        Before(StoreStep.Rename, to);
        File.Move(from, to, overwrite);
    }

    /// <summary>Renames a complete, flushed file into place and flushes its directory, so the rename survives a crash of the machine.</summary>
    public void RenameDurably(string from, string to, bool overwrite)
    {
        Rename(from, to, overwrite);
        SyncDirectory(Path.GetDirectoryName(to)!);
    }

    /// <summary>Removes a file (no error when it is absent); flushing the directory is the caller's.</summary>
    public void Delete(string path)
    {
        Before(StoreStep.Delete, path);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Its directory was never created: nothing to remove.
        }
    }

    public void DeleteDirectory(string directory)
    {
        if (!Directory.Exists(directory)) return;
        Before(StoreStep.Delete, directory);
        Directory.Delete(directory, recursive: true);
    }

    public void SyncDirectory(string directory)
    {
        if (!durable) return;
        Before(StoreStep.SyncDirectory, directory);
        NativeFiles.SyncDirectory(directory);
    }
}
