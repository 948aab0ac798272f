namespace Orchestrator.Contracts.Security;

/// <summary>Whose call a grain method accepts; the silo's access filter applies it before the method runs.</summary>
public enum AccessScope
{
    /// <summary>Only calls made inside the silo (grain to grain, the silo's own services); no client may call it.</summary>
    Internal,

    /// <summary>Any caller whose role is at least <see cref="AccessAttribute.Role"/>.</summary>
    Role,

    /// <summary>The job's owner (the grain key, or its part before the last <c>/</c>, is the job id), or an operator.</summary>
    OwnJob,

    /// <summary>A user submitting a new job: a permitted queue, a priority within the queue's cap, data under the data roots.</summary>
    Submit,

    /// <summary>
    /// A worker holding the secret of the job's attempt named by the method's <c>attempt</c> argument (or by the
    /// report's <c>Attempt</c>), or an operator.
    /// </summary>
    AttemptWorker,

    /// <summary>A worker of any running attempt (its secret verifies), or an operator: node heartbeats.</summary>
    AnyWorker,

    /// <summary>Any user; the answer is cut to the caller's own jobs unless the caller is an operator.</summary>
    OwnJobList,
}
