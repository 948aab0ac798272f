namespace Orchestrator.Checkpoints;

/// <summary>Where and how the checkpoint store keeps its files.</summary>
public sealed record CheckpointStoreOptions
{
    /// <summary>Smallest chunk size accepted (tests use tiny chunks to exercise boundaries).</summary>
    public const int MinChunkSize = 16;

    /// <summary>Largest chunk size accepted; chunks are held whole in memory while hashed and verified.</summary>
    public const int MaxChunkSize = 256 * 1024 * 1024;

    /// <summary>Root directory (local disk or a mounted volume). Created if missing.</summary>
    public required string Root { get; init; }

    /// <summary>Bytes per chunk for new saves; 4 MiB by default. Dedup works at this granularity.</summary>
    public int ChunkSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Flush chunks and manifests to stable storage (fsync) before they become visible. On by default.</summary>
    public bool Durable { get; init; } = true;

    /// <summary>
    /// Write new chunks with direct I/O (Linux <c>O_DIRECT</c>) where the file system accepts it, on by default: the
    /// device writes each chunk while the next ones are hashed, with no copy into the page cache. Where it is refused
    /// (other systems, tmpfs before Linux 6.6, some network file systems) chunks go through the page cache instead.
    /// Either way, with <see cref="Durable"/> every chunk is flushed before it becomes visible.
    /// </summary>
    public bool DirectIo { get; init; } = true;

    /// <summary>
    /// Threads of its own that a save hashes and writes chunks on. At least 4 even on small machines: while one
    /// waits on the device another hashes, so the disk and the CPU stay busy together. Each holds a scratch buffer
    /// of <see cref="ChunkSize"/> bytes, kept between saves.
    /// </summary>
    public int WriteParallelism { get; init; } = Math.Clamp(Environment.ProcessorCount, 4, 16);

    /// <summary>How long to wait for the store lock (garbage collection excludes writers while it sweeps).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A save's lease (the chunks it wrote but has not committed) protects them from garbage collection until it is
    /// this old without activity; then its writer is presumed dead. A save slower than this fails at commit.
    /// </summary>
    public TimeSpan LeaseExpiry { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Throws when a value is out of range; the message names it.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Root)) throw new ArgumentException("checkpoint store Root must be a directory path, got an empty value", nameof(Root));
        if (ChunkSize is < MinChunkSize or > MaxChunkSize)
        {
            throw new ArgumentException($"checkpoint store ChunkSize must be between {MinChunkSize} and {MaxChunkSize} bytes, got {ChunkSize}", nameof(ChunkSize));
        }

        if (WriteParallelism < 1) throw new ArgumentException($"checkpoint store WriteParallelism must be at least 1, got {WriteParallelism}", nameof(WriteParallelism));
        if (LockTimeout <= TimeSpan.Zero) throw new ArgumentException($"checkpoint store LockTimeout must be positive, got {LockTimeout}", nameof(LockTimeout));
        if (LeaseExpiry <= TimeSpan.Zero) throw new ArgumentException($"checkpoint store LeaseExpiry must be positive, got {LeaseExpiry}", nameof(LeaseExpiry));
    }
}
