using Orchestrator.Contracts.Security;

namespace Orchestrator.Contracts.Jobs;

/// <summary>A live view of one pipeline stage of a running job (key <c>job/stage</c>).</summary>
public interface IPipelineStageGrain : IGrainWithStringKey
{
    /// <summary>Records a step of the stage; reports of an older attempt than the newest seen are ignored.</summary>
    [Access(AccessScope.AttemptWorker)]
    Task ReportAsync(StageReport report);

    /// <summary>The latest report, or null.</summary>
    [Access(AccessScope.Role, Role.Operator)]
    Task<StageReport?> GetAsync();
}
