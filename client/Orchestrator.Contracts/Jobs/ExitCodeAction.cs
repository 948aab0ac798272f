namespace Orchestrator.Contracts.Jobs;

/// <summary>
/// What <c>restartPolicy.onExitCodes</c> does with an attempt whose program exited with a given code, in the manner
/// of a Kubernetes pod failure policy. Applies to the exits of the job's own code only: an infrastructure failure
/// or a stop by the control plane is never looked up.
/// </summary>
[GenerateSerializer]
public enum ExitCodeAction
{
    /// <summary>Retried with backoff and counted against <c>maxAttempts</c> (the default for a non-zero exit).</summary>
    Retry = 0,

    /// <summary>The job fails at once, without another attempt (Kubernetes: FailJob).</summary>
    Fail = 1,

    /// <summary>Retried with backoff without counting against <c>maxAttempts</c> (Kubernetes: Ignore).</summary>
    Ignore = 2,
}
