namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// Named queues of waiting jobs. Scheduling order across all queues is priority (higher first), then submit sequence
/// (FIFO within a priority); a job is queued at most once. A preempted or recovering job is put back with its original
/// sequence, so it does not lose its place to jobs submitted after it.
/// </summary>
internal sealed class JobQueues
{
    private readonly SortedSet<QueueEntry> _ordered = new(SchedulingOrder.Instance);
    private readonly Dictionary<string, QueueEntry> _byJob = new(StringComparer.Ordinal);
    private long _nextSequence;

    public int Count => _byJob.Count;

    /// <summary>Names of the queues that hold at least one job, sorted.</summary>
    public IReadOnlyList<string> QueueNames => _byJob.Values.Select(e => e.Queue).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Queues a newly submitted job at the back of its priority.</summary>
    /// <returns>The new entry, or the existing one (unchanged) when the job is already queued.</returns>
    public QueueEntry Enqueue(string jobId, string queue, int priority)
    {
        ValidateJobId(jobId);
        ValidateQueueName(queue);
        if (_byJob.TryGetValue(jobId, out var existing))
        {
            return existing;
        }

        var entry = new QueueEntry(jobId, queue, priority, _nextSequence++);
        Add(entry);
        return entry;
    }

    /// <summary>Puts a job back with the sequence it had (after preemption or a failed attempt).</summary>
    /// <returns>False when the job is already queued; the queue is then unchanged.</returns>
    public bool Requeue(QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ValidateJobId(entry.JobId);
        ValidateQueueName(entry.Queue);
        if (entry.Sequence < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Sequence, "queue entry sequence must be zero or more");
        }

        if (_byJob.ContainsKey(entry.JobId))
        {
            return false;
        }

        Add(entry);
        _nextSequence = Math.Max(_nextSequence, entry.Sequence + 1);
        return true;
    }

    public bool Remove(string jobId)
    {
        if (!_byJob.Remove(jobId, out var entry))
        {
            return false;
        }

        _ordered.Remove(entry);
        return true;
    }

    public bool Contains(string jobId) => _byJob.ContainsKey(jobId);

    public QueueEntry? Find(string jobId) => _byJob.GetValueOrDefault(jobId);

    /// <summary>All queued jobs in scheduling order.</summary>
    public IReadOnlyList<QueueEntry> Ordered() => _ordered.ToList();

    /// <summary>The jobs of one named queue in scheduling order.</summary>
    public IReadOnlyList<QueueEntry> Ordered(string queue) =>
        _ordered.Where(e => string.Equals(e.Queue, queue, StringComparison.Ordinal)).ToList();

    public QueueSnapshot Snapshot() => new(Ordered(), _nextSequence);

    /// <summary>Rebuilds queues from a snapshot; refuses one that lists a job or a sequence twice.</summary>
    public static JobQueues Restore(QueueSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var queues = new JobQueues();
        var sequences = new HashSet<long>();
        foreach (var entry in snapshot.Entries)
        {
            if (!sequences.Add(entry.Sequence))
            {
                throw new ArgumentException($"queue snapshot lists sequence {entry.Sequence} twice; sequences are unique", nameof(snapshot));
            }

            if (!queues.Requeue(entry))
            {
                throw new ArgumentException($"queue snapshot lists job {entry.JobId} twice; a job is queued at most once", nameof(snapshot));
            }
        }

        if (snapshot.NextSequence < queues._nextSequence)
        {
            throw new ArgumentException(
                $"queue snapshot's next sequence {snapshot.NextSequence} is not above its largest entry sequence {queues._nextSequence - 1}", nameof(snapshot));
        }

        queues._nextSequence = snapshot.NextSequence;
        return queues;
    }

    private void Add(QueueEntry entry)
    {
        _byJob.Add(entry.JobId, entry);
        _ordered.Add(entry);
    }

    private static void ValidateJobId(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId))
        {
            throw new ArgumentException("job id must not be empty", nameof(jobId));
        }
    }

    private static void ValidateQueueName(string queue)
    {
        if (!Contracts.Jobs.QueueNames.IsValid(queue))
            throw new ArgumentException($"metadata.queue '{queue}' is not a valid queue name: use {Contracts.Jobs.QueueNames.Rule}", nameof(queue));
    }

    /// <summary>Priority descending, then sequence ascending, then job id for a total order.</summary>
    private sealed class SchedulingOrder : IComparer<QueueEntry>
    {
        public static SchedulingOrder Instance { get; } = new();

        public int Compare(QueueEntry? x, QueueEntry? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return -1;
            if (y is null) return 1;
            var byPriority = y.Priority.CompareTo(x.Priority);
            if (byPriority != 0) return byPriority;
            var bySequence = x.Sequence.CompareTo(y.Sequence);
            return bySequence != 0 ? bySequence : string.CompareOrdinal(x.JobId, y.JobId);
        }
    }
}
