namespace Orchestrator.Silo.Scheduling;

/// <summary>
/// Refuses scheduling inputs that contradict themselves (a job listed twice, a device with two holders, a held device
/// listed as free): such inputs mean the grain's bookkeeping is broken, and deciding on them would hand a device out twice.
/// </summary>
internal static class SchedulingInputsValidation
{
    public static void Validate(SchedulingInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs.Waiting, nameof(inputs.Waiting));
        ArgumentNullException.ThrowIfNull(inputs.Running, nameof(inputs.Running));
        ArgumentNullException.ThrowIfNull(inputs.Capacity, nameof(inputs.Capacity));
        (inputs.Options ?? SchedulingOptions.Default).Validate();

        var jobIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in inputs.Waiting)
        {
            if (string.IsNullOrWhiteSpace(job.JobId) || !jobIds.Add(job.JobId))
            {
                throw new ArgumentException($"waiting job id '{job.JobId}' is empty or listed twice; each job appears once", nameof(inputs));
            }

            ArgumentNullException.ThrowIfNull(job.Demand, $"{job.JobId}.Demand");
            if (job.EstimatedRuntime is { } runtime && runtime < TimeSpan.Zero)
            {
                throw new ArgumentException($"job {job.JobId}: estimated runtime must not be negative, got {runtime}", nameof(inputs));
            }
        }

        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var job in inputs.Running)
        {
            if (string.IsNullOrWhiteSpace(job.JobId) || !jobIds.Add(job.JobId))
            {
                throw new ArgumentException($"running job id '{job.JobId}' is empty or also listed elsewhere; each job appears once", nameof(inputs));
            }

            if (inputs.Queues is not null && job.GpuType is null)
            {
                throw new ArgumentException($"running job {job.JobId} names no device type; with queue quotas each running job's type is charged", nameof(inputs));
            }

            if (job.DeviceIds is null || job.DeviceIds.Count == 0)
            {
                throw new ArgumentException($"running job {job.JobId} holds no devices; a running job holds at least one", nameof(inputs));
            }

            foreach (var device in job.DeviceIds)
            {
                if (!holders.TryAdd(device, job.JobId))
                {
                    throw new ArgumentException($"device {device} is held by both {holders[device]} and {job.JobId}; a device has one holder", nameof(inputs));
                }

                if (inputs.Capacity.IsFree(device))
                {
                    throw new ArgumentException($"device {device} is held by {job.JobId} but the capacity lists it as free", nameof(inputs));
                }
            }
        }
    }
}
