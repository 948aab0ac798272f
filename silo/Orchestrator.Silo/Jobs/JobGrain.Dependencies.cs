using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Silo.Jobs;

/// <summary>
/// The job grain's part in dependencies (<c>spec.dependsOn</c>, job ids): the job stays Pending, out of the scheduler's
/// queue, until every dependency has succeeded, then queues; when one ends Failed or Cancelled (or no longer exists) the
/// job fails with <c>DependencyFailed</c>. Event-driven: each dependency records its dependents and tells them when it
/// finishes; the job's persistent reminder checks again, so a notice lost in a crash only delays it.
/// </summary>
internal sealed partial class JobGrain
{
    /// <summary>How many jobs a cycle search visits at most.</summary>
    private const int MaxDependencyWalk = 10_000;

    public async Task<JobState?> AddDependentAsync(string dependentId)
    {
        if (!store.RecordExists) return null;
        if (!Job.IsTerminal && !Job.Lifecycle.Dependents.Contains(dependentId))
        {
            Job.Lifecycle.Dependents.Add(dependentId);
            await SaveAsync();
        }

        return Job.State;
    }

    public async Task DependencyFinishedAsync(string dependencyId, JobState state)
    {
        if (!store.RecordExists || Job.State is not (JobState.Pending or JobState.Suspended) || !Job.Lifecycle.WaitingFor.Contains(dependencyId)) return;
        if (state is JobState.Failed or JobState.Cancelled) await FailForDependencyAsync(dependencyId, state);
        else await CheckDependenciesAsync(announce: false);
    }

    /// <summary>Unknown ids, and cycles (possible only through this job's own id: itself, or an id used again after a delete).</summary>
    private async Task<List<SpecError>> ValidateDependenciesAsync(TrainingJobSpec spec)
    {
        var errors = new List<SpecError>();
        var dependencies = spec.DependsOn ?? [];
        for (var i = 0; i < dependencies.Count; i++)
        {
            var path = $"spec.dependsOn[{i}]";
            if (dependencies[i] == Id) errors.Add(new SpecError(path, $"job '{Id}' cannot depend on itself (a cycle)"));
            else if (await JobById(dependencies[i]).GetAsync() is not { } dependency) errors.Add(new SpecError(path, $"job '{dependencies[i]}' does not exist"));
            else if (await CycleThroughAsync(dependency) is { } cycle) errors.Add(new SpecError(path, $"would form a cycle: {Id} → {string.Join(" → ", cycle)}"));
        }

        Job.Lifecycle.WaitingFor = errors.Count == 0 ? dependencies.ToList() : [];
        return errors;
    }

    /// <summary>A path from <paramref name="start"/> back to this job along dependencies, or null when there is none.</summary>
    private async Task<List<string>?> CycleThroughAsync(JobView start)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal) { start.Id };
        var pending = new Stack<(JobView Job, List<string> Path)>();
        pending.Push((start, [start.Id]));
        while (pending.TryPop(out var next) && visited.Count < MaxDependencyWalk)
        {
            foreach (var id in next.Job.Spec.DependsOn ?? [])
            {
                if (id == Id) return [.. next.Path, id];
                if (visited.Add(id) && await JobById(id).GetAsync() is { } dependency) pending.Push((dependency, [.. next.Path, id]));
            }
        }

        return null;
    }

    /// <summary>Queues the job, unless it waits for dependencies: then registers with them and queues once all have succeeded.</summary>
    private async Task QueueAfterDependenciesAsync(bool announce)
    {
        if (Job.Lifecycle.WaitingFor.Count == 0) await Scheduler.EnqueueAsync(new QueuedJob(Id, Job.Spec!, Now, null, []));
        else await CheckDependenciesAsync(announce);
    }

    /// <summary>Asks every dependency still awaited for its state (registering as its dependent) and acts on the answers.</summary>
    private async Task CheckDependenciesAsync(bool announce)
    {
        var waiting = new List<string>();
        foreach (var dependency in Job.Lifecycle.WaitingFor.ToList())
        {
            var state = await JobById(dependency).AddDependentAsync(Id);
            if (state is null or JobState.Failed or JobState.Cancelled)
            {
                await FailForDependencyAsync(dependency, state);
                return;
            }

            if (state != JobState.Succeeded) waiting.Add(dependency);
        }

        var changed = !waiting.SequenceEqual(Job.Lifecycle.WaitingFor);
        if (!changed && !announce) return;
        Job.Lifecycle.WaitingFor = waiting;
        if (waiting.Count > 0)
        {
            Job.Note(Now, $"waiting for dependencies to succeed: {string.Join(", ", waiting)}");
            await SaveAsync();
            return;
        }

        Job.Note(Now, $"every dependency has succeeded ({string.Join(", ", Job.Spec!.DependsOn!)})" + (Job.State == JobState.Pending ? ": queued" : ""));
        await SaveAsync();
        if (Job.State == JobState.Pending) await Scheduler.EnqueueAsync(new QueuedJob(Id, Job.Spec!, Now, null, []));
    }

    private async Task FailForDependencyAsync(string dependency, JobState? state)
    {
        var message = $"DependencyFailed: dependency '{dependency}' {(state is { } ended ? $"ended {ended}" : "no longer exists")}";
        Job.Message = message;
        Job.Transition(JobState.Failed, Now, message);
        await SaveAsync();
    }

    /// <summary>On each reminder tick and wake: a job awaiting dependencies asks them again (the fallback for a lost notice).</summary>
    private async Task<bool> ReconcileDependenciesAsync()
    {
        if (!store.RecordExists || Job.State != JobState.Pending || Job.Lifecycle.WaitingFor.Count == 0) return false;
        await CheckDependenciesAsync(announce: false);
        return true;
    }

    /// <summary>Tells the jobs that wait for this one that it has finished (one-way; repeated notices are harmless).</summary>
    private async Task NotifyDependentsAsync()
    {
        if (!Job.IsTerminal) return;
        foreach (var dependent in Job.Lifecycle.Dependents) await JobById(dependent).DependencyFinishedAsync(Id, Job.State);
    }

    private IJobGrain JobById(string id) => GrainFactory.GetGrain<IJobGrain>(id);
}
