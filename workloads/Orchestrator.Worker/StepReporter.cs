using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Workers;
using Orchestrator.Workloads.Training;

namespace Orchestrator.Worker;

/// <summary>Reports each completed step to the job grain and the stages' grains; stops or checkpoints when told.</summary>
internal sealed class StepReporter(IGrainFactory grains, WorkerAssignment assignment, CheckpointReporter control, ControlPlaneLink link, TextWriter output) : IStepObserver
{
    public async ValueTask OnStepAsync(TrainingStep step, CancellationToken cancellationToken)
    {
        // The loop numbers steps from 0; the control plane counts completed steps.
        step = step with { Step = step.Step + 1 };
        output.WriteLine($"step {step.Step} loss {step.Loss:F4} tokens/s {step.TokensPerSecond:F0} step {step.StepSeconds * 1000:F0} ms" + (step.Mfu is { } mfu ? $" MFU {mfu:P1}" : ""));
        var report = new StepReport(step.Step, step.Loss, step.Tokens, step.StepSeconds, step.TokensPerSecond, step.Mfu);
        var ack = await link.CallAsync("step report", () => grains.GetGrain<IJobGrain>(assignment.JobId).ReportStepAsync(assignment.Attempt, assignment.Node, report), ReportAck.Continue);
        if (link.Away) return;
        var plan = assignment.Plan;
        var layersPerStage = assignment.Spec.Model.Layers / plan.Pipeline;
        foreach (var stage in assignment.Ranks.Select(r => r.Rank / (plan.Tensor * plan.Data)).Distinct())
        {
            var ranks = assignment.Ranks.Where(r => r.Rank / (plan.Tensor * plan.Data) == stage).ToList();
            var stageReport = new StageReport(assignment.Attempt, step.Step, step.StepSeconds, stage * layersPerStage, layersPerStage,
                ranks.Select(r => r.Rank).ToList(), ranks.Select(r => r.DeviceId).ToList());
            await link.CallAsync("stage report", async () =>
            {
                await grains.GetGrain<IPipelineStageGrain>($"{assignment.JobId}/{stage}").ReportAsync(stageReport);
                return true;
            }, false);
        }

        await control.ObeyAsync(ack);
    }
}
