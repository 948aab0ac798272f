using Microsoft.Extensions.Logging;
using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Silo.Lineage;

/// <summary>
/// Update cascades: the chain of jobs that re-derives a superseded version's descendants. A step is handed to the
/// scheduler only once the step it depends on has registered its new version (the job that made it succeeded), so
/// the scheduler runs the chain in dependency order; a step whose dependency failed is skipped.
/// </summary>
internal sealed partial class LineageGrain
{
    public Task<CascadePlan> PlanCascadeAsync(string reference)
    {
        var graph = Graph;
        var trigger = graph.Resolve(reference);
        var (previous, steps) = CascadePlanner.Plan(graph, trigger);
        return Task.FromResult(new CascadePlan(0, trigger.Reference, previous.Reference,
            steps.Select(s => s.ToView(s.Rerunnable ? CascadeStates.Planned : NotRerunnable(s))).ToList()));
    }

    public async Task<CascadePlan> StartCascadeAsync(string reference)
    {
        var graph = Graph;
        var trigger = graph.Resolve(reference);
        var (previous, steps) = CascadePlanner.Plan(graph, trigger);
        var cascade = new CascadeRecord { Id = store.State.Cascades.Count + 1, Trigger = trigger.Reference, Previous = previous.Reference, Steps = steps };
        foreach (var step in steps.Where(s => !s.Rerunnable)) step.State = NotRerunnable(step);
        store.State.Cascades.Add(cascade);
        await store.WriteStateAsync();
        await SubmitReadyAsync(cascade);
        await store.WriteStateAsync();
        return cascade.ToView();
    }

    public async Task<CascadePlan> GetCascadeAsync(int id)
    {
        var cascade = store.State.Cascades.FirstOrDefault(c => c.Id == id)
            ?? throw new ArgumentException($"id: no cascade {id}; there are {store.State.Cascades.Count}", nameof(id));
        // A submitted step whose job ended without registering a version has failed; the job index says which ended.
        var ended = (await GrainFactory.GetGrain<IJobIndexGrain>("default").ListAsync())
            .Where(j => j.State is JobState.Failed or JobState.Cancelled).ToDictionary(j => j.Id, j => j.State);
        var steps = new List<CascadeStep>();
        foreach (var step in cascade.Steps)
        {
            var end = step.State != CascadeStates.Submitted || step.Job is not { } job ? null
                : step.Kind == CascadeStepKind.Evaluate ? await RunEndAsync(job)
                : ended.TryGetValue(job, out var state) ? state.ToString().ToLowerInvariant() : null;
            steps.Add(step.ToView(end is null ? null : $"{CascadeStates.Failed}: {(step.Kind == CascadeStepKind.Evaluate ? "run" : "job")} {end}"));
        }

        return new CascadePlan(cascade.Id, cascade.Trigger, cascade.Previous, steps);
    }

    /// <summary>How an evaluation run ended without recording its scores (failed or cancelled, with why), or null while it runs or once it succeeded.</summary>
    private async Task<string?> RunEndAsync(string run) =>
        await GrainFactory.GetGrain<IEvaluationRunGrain>(run).GetAsync() is { State: JobState.Failed or JobState.Cancelled } view
            ? $"{view.State.ToString().ToLowerInvariant()}{(view.Message is { } why ? $" ({why})" : "")}"
            : null;

    /// <summary>The cascade step that <paramref name="job"/> ran has produced (or evaluated) <paramref name="produced"/>: start what waited on it.</summary>
    private async Task CompleteCascadeStepAsync(string job, string produced)
    {
        var cascade = store.State.Cascades.FirstOrDefault(c => c.Steps.Any(s => s.Job == job && s.State == CascadeStates.Submitted));
        if (cascade is null) return;
        var step = cascade.Steps.First(s => s.Job == job);
        step.Produced = produced;
        step.State = CascadeStates.Done;
        await SubmitReadyAsync(cascade);
    }

    /// <summary>Submits every step whose dependency is done, skips those whose dependency cannot finish, until nothing changes.</summary>
    private async Task SubmitReadyAsync(CascadeRecord cascade)
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var step in cascade.Steps.Where(s => s.State is CascadeStates.Planned or CascadeStates.Waiting))
            {
                var dependency = step.DependsOn is { } index ? cascade.Steps.First(s => s.Index == index) : null;
                if (dependency is not null && (dependency.State.StartsWith(CascadeStates.Failed, StringComparison.Ordinal) || dependency.State == CascadeStates.Skipped))
                {
                    step.State = CascadeStates.Skipped;
                    changed = true;
                    continue;
                }

                if (dependency is not null && dependency.State != CascadeStates.Done)
                {
                    step.State = CascadeStates.Waiting;
                    continue;
                }

                await SubmitAsync(cascade, step, dependency?.Produced ?? cascade.Trigger);
                changed = true;
            }
        }
        while (changed);
    }

    /// <summary>
    /// Submits the step's job started from <paramref name="from"/>: a derivation re-runs its training job with
    /// <c>model.from</c> set to it, an evaluation re-runs its evaluation run with <c>model.from</c> naming it.
    /// </summary>
    private async Task SubmitAsync(CascadeRecord cascade, CascadeStepRecord step, string from)
    {
        // Deterministic ids: a cascade resumed after a restart finds the job it already submitted instead of a twin.
        var name = step.Kind == CascadeStepKind.Evaluate ? step.Evaluation!.Metadata.Name : step.Spec!.Metadata.Name;
        var job = $"{name}-cascade{cascade.Id}-{step.Index}";
        if (step.Kind == CascadeStepKind.Evaluate) step.Produced = from;
        try
        {
            await SubmitJobAsync(step, job, from);
            step.State = CascadeStates.Submitted;
        }
        catch (JobSpecException e)
        {
            step.State = $"{CascadeStates.Failed}: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            // The id is taken: this cascade submitted it before a restart cut it short.
            step.State = await SubmittedBeforeAsync(step, job) ? CascadeStates.Submitted : $"{CascadeStates.Failed}: {e.Message}";
        }

        step.Job = job;
        LogCascadeStep(logger, cascade.Id, step.Index, job, from, step.State);
    }

    private Task SubmitJobAsync(CascadeStepRecord step, string job, string from) => step.Kind == CascadeStepKind.Evaluate
        ? GrainFactory.GetGrain<IEvaluationRunGrain>(job).SubmitAsync(step.Evaluation! with { Model = new EvaluationModelSpec(null, null, from) })
        : (Task)GrainFactory.GetGrain<IJobGrain>(job).SubmitAsync(step.Spec! with { Model = step.Spec.Model with { From = from } });

    private async Task<bool> SubmittedBeforeAsync(CascadeStepRecord step, string job) => step.Kind == CascadeStepKind.Evaluate
        ? await GrainFactory.GetGrain<IEvaluationRunGrain>(job).GetAsync() is not null
        : await GrainFactory.GetGrain<IJobGrain>(job).GetAsync() is not null;

    private static string NotRerunnable(CascadeStepRecord step) => step.Kind == CascadeStepKind.Evaluate
        ? $"{CascadeStates.Failed}: {step.OriginalJob} was recorded from outside (not an evaluation run of this orchestrator), so it cannot be re-run"
        : $"{CascadeStates.Failed}: {step.OriginalJob} is not a training job of this orchestrator (an external model), so it cannot be re-run";

    [LoggerMessage(Level = LogLevel.Information, Message = "cascade {Cascade} step {Step}: job {Job} from {From}: {State}")]
    private static partial void LogCascadeStep(ILogger logger, int cascade, int step, string job, string from, string state);
}
