using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Jobs;

/// <summary>
/// A live view of one pipeline stage (key <c>job/stage</c>): the last step its ranks reported. Volatile by design:
/// the job grain holds what must survive.
/// </summary>
internal sealed class PipelineStageGrain : Grain, IPipelineStageGrain
{
    private StageReport? _latest;

    public Task ReportAsync(StageReport report)
    {
        if (_latest is null || report.Attempt > _latest.Attempt || (report.Attempt == _latest.Attempt && report.Step >= _latest.Step))
            _latest = report;
        return Task.CompletedTask;
    }

    public Task<StageReport?> GetAsync() => Task.FromResult(_latest);
}
