namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// Chooses which running jobs a blocked job may stop. Only jobs of strictly lower priority are candidates, cheapest
/// first: lowest priority, then most recently started (least work lost). Candidates are added until the job fits, then
/// each chosen victim, most valuable first, is dropped again if the job still fits without it, so the set is minimal:
/// no victim can be spared.
/// </summary>
internal sealed class PreemptionPlanner(DemandResolver resolver)
{
    /// <param name="job">The blocked head job.</param>
    /// <param name="capacity">Free devices now; not changed.</param>
    /// <param name="candidates">Jobs holding devices that were running before this pass.</param>
    /// <param name="avoid">Devices the job may not take, beyond its own avoid list; null for none.</param>
    /// <param name="eligible">Which candidates it may stop; null for strictly lower priority.</param>
    /// <param name="admits">Whether the job, placed so, fits its queue's quota once these victims are gone; null when
    /// no quota applies.</param>
    /// <returns>The victims and the job's placement, or null when stopping every candidate would still not make it fit.</returns>
    public PreemptionPlan? Plan(WaitingJob job, ICapacity capacity, IEnumerable<RunningJob> candidates, IReadOnlySet<string>? avoid = null,
        Func<RunningJob, bool>? eligible = null, Func<IReadOnlyList<RunningJob>, DemandResolution, bool>? admits = null)
    {
        var ordered = candidates
            .Where(r => r.Preemptible && (eligible?.Invoke(r) ?? r.Priority < job.Priority))
            .OrderBy(r => r.Priority)
            .ThenByDescending(r => r.StartedAt)
            .ThenBy(r => r.JobId, StringComparer.Ordinal)
            .ToList();
        if (ordered.Count == 0)
        {
            return null;
        }

        var trial = capacity.Clone();
        var victims = new List<RunningJob>();
        DemandResolution? placement = null;
        foreach (var candidate in ordered)
        {
            trial.MarkFree(candidate.DeviceIds);
            victims.Add(candidate);
            placement = resolver.Resolve(job, trial, avoid);
            if (placement.Succeeded && (admits?.Invoke(victims, placement) ?? true))
            {
                break;
            }
        }

        if (placement is not { Succeeded: true } || !(admits?.Invoke(victims, placement) ?? true))
        {
            return null;
        }

        // Greedy growth can pick a cheap victim whose devices turn out useless once a later one is freed; spare those,
        // starting with the most valuable victim.
        for (var i = victims.Count - 1; i >= 0 && victims.Count > 1; i--)
        {
            var without = capacity.Clone();
            for (var j = 0; j < victims.Count; j++)
            {
                if (j != i)
                {
                    without.MarkFree(victims[j].DeviceIds);
                }
            }

            var spared = resolver.Resolve(job, without, avoid);
            if (spared.Succeeded && (admits?.Invoke(victims.Where((_, j) => j != i).ToList(), spared) ?? true))
            {
                victims.RemoveAt(i);
                placement = spared;
            }
        }

        return new PreemptionPlan(victims, placement);
    }
}
