namespace Orchestrator.Silo.Scheduling;

/// <summary>Why a queued job did not start in a pass.</summary>
internal enum WaitReason
{
    /// <summary>Not enough free devices now; for the head job a reservation says when.</summary>
    InsufficientCapacity,

    /// <summary>It fits now but would take devices the head job needs before it would finish.</summary>
    WouldDelayReservation,

    /// <summary>Behind a blocked head job, and backfill is switched off.</summary>
    BehindBlockedHead,

    /// <summary>Behind a blocked head job, past the number of backfill candidates tried per pass.</summary>
    BeyondBackfillDepth,

    /// <summary>Does not fit even if every running job ended: too many devices, a type the cluster lacks, or only
    /// avoided, failed or draining devices would do.</summary>
    ExceedsCluster,

    /// <summary>Starting it would take its queue beyond its quota: nominal, borrowing limit, or the cohort's unused quota.</summary>
    QuotaExceeded,
}
