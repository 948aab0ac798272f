namespace Orchestrator.Checkpoints.Storage;

/// <summary>A change the store is about to make to its files; see <see cref="IStoreFaults"/>.</summary>
internal enum StoreStep
{
    /// <summary>Create a directory.</summary>
    CreateDirectory,

    /// <summary>Create a file (empty).</summary>
    Create,

    /// <summary>Write into a file that is not visible yet (a temporary or a lease).</summary>
    Write,

    /// <summary>fsync a file.</summary>
    Flush,

    /// <summary>Rename a file into place.</summary>
    Rename,

    /// <summary>Remove a file or a directory.</summary>
    Delete,

    /// <summary>fsync a directory.</summary>
    SyncDirectory,
}
