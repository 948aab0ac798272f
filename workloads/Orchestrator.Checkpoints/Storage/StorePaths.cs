using Orchestrator.Checkpoints.Manifest;

namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// The store's directory layout:
/// <c>chunks/ab/abcd…</c> (content, named by SHA-256), <c>jobs/JOB/manifests/STEP-ATTEMPT.json</c>,
/// <c>jobs/JOB/pins/STEP-ATTEMPT.pin</c>, <c>jobs/JOB/attempt</c> (the attempt that may commit), <c>jobs/JOB/parts/STEP-ATTEMPT/part-K.json</c> (a distributed save's parts until it commits), <c>leases/ID.lease</c> (chunks of saves in flight), <c>tmp/</c>, <c>store.lock</c>.
/// </summary>
internal sealed class StorePaths
{
    public StorePaths(string root)
    {
        Root = Path.GetFullPath(root);
        Chunks = Path.Combine(Root, "chunks");
        Jobs = Path.Combine(Root, "jobs");
        Leases = Path.Combine(Root, "leases");
        Temporary = Path.Combine(Root, "tmp");
        LockFile = Path.Combine(Root, "store.lock");
    }

    public string Root { get; }

    public string Chunks { get; }

    public string Jobs { get; }

    public string Leases { get; }

    public string Temporary { get; }

    public string LockFile { get; }

    public void EnsureCreated()
    {
        Directory.CreateDirectory(Chunks);
        Directory.CreateDirectory(Jobs);
        Directory.CreateDirectory(Leases);
        Directory.CreateDirectory(Temporary);
    }

    public string Chunk(string hash) => Path.Combine(Chunks, hash[..2], hash);

    public string ManifestDirectory(string jobId) => Path.Combine(Jobs, jobId, "manifests");

    public string PinDirectory(string jobId) => Path.Combine(Jobs, jobId, "pins");

    public string AttemptMarker(string jobId) => Path.Combine(Jobs, jobId, "attempt");

    public string PartDirectory(CheckpointId id) => Path.Combine(Jobs, id.JobId, "parts", FileStem(id));

    public string Part(CheckpointId id, int part) => Path.Combine(PartDirectory(id), $"part-{part:D6}.json");

    public string Manifest(CheckpointId id) => Path.Combine(ManifestDirectory(id.JobId), FileStem(id) + ".json");

    public string Pin(CheckpointId id) => Path.Combine(PinDirectory(id.JobId), FileStem(id) + ".pin");

    /// <summary>A unique path under <c>tmp/</c>; written there, then renamed into place so readers never see a partial file.</summary>
    public string NewTemporary(string purpose) => Path.Combine(Temporary, $"{purpose}.{Guid.NewGuid():N}.tmp");

    /// <summary>Zero-padded so that ordinal file-name order is checkpoint order.</summary>
    public static string FileStem(CheckpointId id) => $"{id.Step:D19}-{id.Attempt:D10}";

    /// <summary>Parses a manifest or pin file name back into an id; null when it is not one of ours.</summary>
    public static CheckpointId? ParseFileStem(string jobId, string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var parts = stem.Split('-');
        return parts.Length == 2 && parts[0].Length == 19 && parts[1].Length == 10
            && long.TryParse(parts[0], out var step) && int.TryParse(parts[1], out var attempt) && attempt >= 1
            ? new CheckpointId(jobId, step, attempt)
            : null;
    }
}
