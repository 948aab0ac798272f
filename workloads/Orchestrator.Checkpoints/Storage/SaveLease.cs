namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// The chunks a save in flight has published but not yet referenced from a committed manifest, one hash per line in
/// <c>leases/ID.lease</c>. Garbage collection treats them as referenced until the lease is released or expires
/// (no append for <see cref="CheckpointStoreOptions.LeaseExpiry"/>: the writer is presumed dead).
/// </summary>
/// <remarks>
/// Leases are not flushed: they matter only while their writer lives, and a machine that crashed took its writers
/// with it (a lease lost with it protected chunks that no manifest references, which a collection may then remove).
/// </remarks>
internal sealed class SaveLease : IDisposable
{
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private readonly StreamWriter _writer;
    private readonly StoreFiles _files;

    public SaveLease(StorePaths paths, StoreFiles files)
    {
        _files = files;
        Path = System.IO.Path.Combine(paths.Leases, $"{Guid.NewGuid():N}.lease");
        files.Before(StoreStep.Create, Path);
        _writer = new StreamWriter(new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete));
    }

    public string Path { get; }

    /// <summary>Records a hash; called under the shared store lock before the chunk is checked or written.</summary>
    public void Append(string hash)
    {
        _appendGate.Wait();
        try
        {
            _files.Before(StoreStep.Write, Path);
            _writer.WriteLine(hash);
            _writer.Flush();
        }
        finally
        {
            _appendGate.Release();
        }
    }

    /// <summary>False when garbage collection expired the lease, so chunks it named may have been collected.</summary>
    public bool IsHeld => File.Exists(Path);

    public void Dispose()
    {
        _writer.Dispose();
        _appendGate.Dispose();
        _files.Delete(Path);
    }

    /// <summary>Hashes named by every unexpired lease; expired leases are deleted.</summary>
    public static HashSet<string> ReadLive(StorePaths paths, StoreFiles files, TimeSpan expiry, DateTime nowUtc, out int expired)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        expired = 0;
        foreach (var file in new DirectoryInfo(paths.Leases).EnumerateFiles("*.lease"))
        {
            if (nowUtc - file.LastWriteTimeUtc > expiry)
            {
                files.Delete(file.FullName);
                expired++;
                continue;
            }

            try
            {
                using var reader = new StreamReader(new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
                while (reader.ReadLine() is { } line)
                {
                    if (ChunkHashing.IsWellFormed(line)) live.Add(line);
                }
            }
            catch (FileNotFoundException)
            {
                // Released between listing and reading: its save has committed or failed.
            }
        }

        return live;
    }
}
