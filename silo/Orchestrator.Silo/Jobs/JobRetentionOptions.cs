namespace Orchestrator.Silo.Jobs;

/// <summary>How long finished jobs are kept and how much of a job's history (section <c>Orchestrator:Jobs</c>).</summary>
internal sealed class JobRetentionOptions
{
    /// <summary>A finished job (its record, index entry and worker logs) is removed this long after it finished.</summary>
    public TimeSpan FinishedTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Jobs per page of the job index: each page is its own record, so a save rewrites one page, not every job.</summary>
    public int IndexPageSize { get; set; } = 1000;

    /// <summary>Attempt records a job keeps: the first and the newest ones up to this count (counters keep the rest).</summary>
    public int AttemptsKept { get; set; } = 50;
}
