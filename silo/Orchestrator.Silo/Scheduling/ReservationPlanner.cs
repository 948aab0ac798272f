namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// Finds a blocked job's reservation: replays running jobs' expected ends in time order on a copy of the free
/// capacity and takes the earliest end after which the job places. Fitting is monotone in the devices freed, so the
/// earliest such end is found by binary search over the sorted ends. Jobs without an estimate are assumed to end last.
/// </summary>
internal sealed class ReservationPlanner(DemandResolver resolver)
{
    /// <returns>The reservation, or null when the job does not fit even after every running job ends.</returns>
    public ReserveDecision? Plan(WaitingJob job, ICapacity capacity, IReadOnlyCollection<RunningJob> running, DateTimeOffset now)
    {
        // Known ends first, in time order; unknown ends after all of them.
        var ends = running
            .OrderBy(r => r.ExpectedEnd.HasValue ? 0 : 1)
            .ThenBy(r => r.ExpectedEnd ?? DateTimeOffset.MaxValue)
            .ThenBy(r => r.JobId, StringComparer.Ordinal)
            .ToList();

        // Smallest prefix of ends after which the job fits; prefixes that split a group of equal end times are not
        // candidates, as those jobs free their devices at the same moment.
        var cuts = new List<int>();
        for (var i = 1; i <= ends.Count; i++)
        {
            if (i == ends.Count || ends[i].ExpectedEnd != ends[i - 1].ExpectedEnd)
            {
                cuts.Add(i);
            }
        }

        // One working copy walked back and forth between probed prefixes: each probe frees or re-takes only the ends
        // between the previous prefix and this one, so the whole search touches about as many devices as there are
        // held, instead of a fresh copy per probe. Probes only ask whether the job fits; devices are chosen once, at
        // the earliest prefix found (placement is a function of the free devices, so they are the ones a full
        // placement at that probe would have chosen).
        var future = capacity.Clone();
        var freed = 0;
        var bestCut = -1;
        int low = 0, high = cuts.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            freed = MoveTo(future, ends, freed, cuts[middle]);
            if (resolver.Fits(job, future).Succeeded)
            {
                bestCut = cuts[middle];
                high = middle - 1;
            }
            else
            {
                low = middle + 1;
            }
        }

        if (bestCut < 0)
        {
            return null;
        }

        MoveTo(future, ends, freed, bestCut);
        var best = resolver.Resolve(job, future);
        if (!best.Succeeded)
        {
            throw new InvalidOperationException($"job {job.JobId} fitted after {bestCut} running jobs end but did not place there: {best.FailureReason}");
        }

        var lastEnded = ends[bestCut - 1];
        DateTimeOffset? start = ends.Take(bestCut).Any(r => r.ExpectedEnd is null)
            ? null
            : Max(lastEnded.ExpectedEnd!.Value, now);
        return new ReserveDecision(job.JobId, start, best.Layout!, best.DeviceIds);
    }

    /// <summary>Makes <paramref name="future"/>, which has the first <paramref name="from"/> ends freed, have the first <paramref name="to"/> freed.</summary>
    private static int MoveTo(ICapacity future, List<RunningJob> ends, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            future.MarkFree(ends[i].DeviceIds);
        }

        for (var i = from - 1; i >= to; i--)
        {
            future.MarkBusy(ends[i].DeviceIds);
        }

        return to;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
