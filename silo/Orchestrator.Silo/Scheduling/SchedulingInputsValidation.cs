using System.Buffers;

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

        // The holder of each device, by the capacity's device number (running job index + 1; 0 for none): a pass at
        // scale checks tens of thousands of held devices, and an array from the pool costs one id lookup each and no
        // per-pass dictionary of them all.
        var holders = ArrayPool<int>.Shared.Rent(inputs.Capacity.DeviceCount);
        Array.Clear(holders, 0, inputs.Capacity.DeviceCount);
        try
        {
            for (var j = 0; j < inputs.Running.Count; j++)
            {
                CheckRunning(inputs, inputs.Running[j], j, jobIds, holders);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(holders);
        }
    }

    private static void CheckRunning(SchedulingInputs inputs, RunningJob job, int index, HashSet<string> jobIds, int[] holders)
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

        var devices = inputs.Capacity.Locate(job.DeviceIds);
        for (var i = 0; i < devices.Count; i++)
        {
            var device = devices[i];
            if (holders[device] != 0)
            {
                throw new ArgumentException($"device {job.DeviceIds[i]} is held by both {inputs.Running[holders[device] - 1].JobId} and {job.JobId}; a device has one holder", nameof(inputs));
            }

            holders[device] = index + 1;
            if (inputs.Capacity.IsFreeAt(device))
            {
                throw new ArgumentException($"device {job.DeviceIds[i]} is held by {job.JobId} but the capacity lists it as free", nameof(inputs));
            }
        }
    }
}
