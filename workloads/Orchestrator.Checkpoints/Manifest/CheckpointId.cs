namespace Orchestrator.Checkpoints.Manifest;

/// <summary>
/// Names one checkpoint: the job, the step it was taken after, and the attempt that took it. Two attempts may both
/// save the same step (the first failed before its save was usable); both are kept apart and the higher attempt wins.
/// </summary>
/// <param name="JobId">The job; letters, digits, '.', '_' and '-' only, because it names a directory.</param>
/// <param name="Step">Optimizer steps completed when the checkpoint was taken.</param>
/// <param name="Attempt">The attempt number that took it; attempts are numbered from 1 and fence stale workers.</param>
public sealed record CheckpointId(string JobId, long Step, int Attempt) : IComparable<CheckpointId>
{
    /// <summary>Longest job id accepted.</summary>
    public const int MaxJobIdLength = 128;

    /// <summary>Orders by job, then step, then attempt, so the last element of a job's sorted list is its newest checkpoint.</summary>
    public int CompareTo(CheckpointId? other)
    {
        if (other is null) return 1;
        var byJob = string.CompareOrdinal(JobId, other.JobId);
        if (byJob != 0) return byJob;
        var byStep = Step.CompareTo(other.Step);
        return byStep != 0 ? byStep : Attempt.CompareTo(other.Attempt);
    }

    /// <summary>Throws when the job id cannot name a directory or the step or attempt is out of range.</summary>
    /// <exception cref="ArgumentException">The message names the field and what is allowed.</exception>
    public void Validate()
    {
        ValidateJobId(JobId);
        if (Step < 0) throw new ArgumentException($"checkpoint step must be 0 or more, got {Step}", nameof(Step));
        if (Attempt < 1) throw new ArgumentException($"checkpoint attempt must be 1 or more, got {Attempt}", nameof(Attempt));
    }

    /// <summary>Throws unless <paramref name="jobId"/> is 1-128 characters of letters, digits, '.', '_' or '-' and not "." or "..".</summary>
    /// <exception cref="ArgumentException">The message says what was wrong.</exception>
    public static void ValidateJobId(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (jobId.Length is 0 or > MaxJobIdLength)
        {
            throw new ArgumentException($"job id must be 1 to {MaxJobIdLength} characters, got {jobId.Length}", nameof(jobId));
        }

        if (jobId is "." or ".." || !jobId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"job id '{jobId}' may contain only ASCII letters, digits, '.', '_' and '-' (it names a directory), and may not be '.' or '..'", nameof(jobId));
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{JobId}@step{Step}/attempt{Attempt}";
}
