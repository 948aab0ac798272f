using Microsoft.Extensions.Logging;
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
            steps.Select(s => s.ToView(s.Spec is null ? NotRerunnable(s) : CascadeStates.Planned)).ToList()));
    }

    public async Task<CascadePlan> StartCascadeAsync(string reference)
    {
        var graph = Graph;
        var trigger = graph.Resolve(reference);
        var (previous, steps) = CascadePlanner.Plan(graph, trigger);
        var cascade = new CascadeRecord { Id = store.State.Cascades.Count + 1, Trigger = trigger.Reference, Previous = previous.Reference, Steps = steps };
        foreach (var step in steps.Where(s => s.Spec is null)) step.State = NotRerunnable(step);
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
        return new CascadePlan(cascade.Id, cascade.Trigger, cascade.Previous, cascade.Steps.Select(s =>
            s.State == CascadeStates.Submitted && s.Job is { } job && ended.TryGetValue(job, out var state) ? s.ToView($"{CascadeStates.Failed}: job {state.ToString().ToLowerInvariant()}") : s.ToView()).ToList());
    }

    private CascadeStepRecord? CascadeStepOf(string job) =>
        store.State.Cascades.SelectMany(c => c.Steps).FirstOrDefault(s => s.Job == job && s.State == CascadeStates.Submitted);

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

    private async Task SubmitAsync(CascadeRecord cascade, CascadeStepRecord step, string from)
    {
        var spec = step.Spec! with { Model = step.Spec!.Model with { From = from } };
        // Deterministic ids: a cascade resumed after a restart finds the job it already submitted instead of a twin.
        var job = $"{spec.Metadata.Name}-cascade{cascade.Id}-{step.Index}";
        if (step.Kind == CascadeStepKind.Evaluate) step.Produced = from;
        try
        {
            await GrainFactory.GetGrain<IJobGrain>(job).SubmitAsync(spec);
            step.State = CascadeStates.Submitted;
        }
        catch (JobSpecException e)
        {
            step.State = $"{CascadeStates.Failed}: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            // The id is taken: this cascade submitted it before a restart cut it short.
            step.State = await GrainFactory.GetGrain<IJobGrain>(job).GetAsync() is not null ? CascadeStates.Submitted : $"{CascadeStates.Failed}: {e.Message}";
        }

        step.Job = job;
        LogCascadeStep(logger, cascade.Id, step.Index, job, from, step.State);
    }

    private static string NotRerunnable(CascadeStepRecord step) =>
        $"{CascadeStates.Failed}: {step.OriginalJob} is not a training job of this orchestrator (an external model or an evaluation run), so it cannot be re-run";

    [LoggerMessage(Level = LogLevel.Information, Message = "cascade {Cascade} step {Step}: job {Job} from {From}: {State}")]
    private static partial void LogCascadeStep(ILogger logger, int cascade, int step, string job, string from, string state);
}
