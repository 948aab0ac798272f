using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Jobs;

/// <summary>The persisted job list.</summary>
[GenerateSerializer]
internal sealed class JobIndexRecord
{
    [Id(0)] public Dictionary<string, JobSummary> Jobs { get; set; } = [];
}
