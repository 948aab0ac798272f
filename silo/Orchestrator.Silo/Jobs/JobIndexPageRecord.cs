using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Jobs;

/// <summary>The persisted lines of one job index page.</summary>
[GenerateSerializer]
internal sealed class JobIndexPageRecord
{
    [Id(0)] public Dictionary<string, JobSummary> Jobs { get; set; } = [];
}
