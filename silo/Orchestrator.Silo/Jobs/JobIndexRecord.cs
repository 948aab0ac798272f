using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Jobs;

/// <summary>The persisted directory of the paged job index.</summary>
[GenerateSerializer]
internal sealed class JobIndexRecord
{
    /// <summary>The whole list, as kept before the index was paged: moved onto pages when the directory activates.</summary>
    [Id(0)] public Dictionary<string, JobSummary> Jobs { get; set; } = [];

    /// <summary>Pages opened so far (numbered from 0).</summary>
    [Id(1)] public int Pages { get; set; }

    /// <summary>Places handed out on the newest page.</summary>
    [Id(2)] public int NewestPageFill { get; set; }

    /// <summary>The pages of jobs moved from the unpaged list, until each job asks for its page.</summary>
    [Id(3)] public Dictionary<string, int> Moved { get; set; } = [];
}
