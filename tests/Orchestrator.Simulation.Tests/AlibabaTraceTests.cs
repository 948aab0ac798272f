using Orchestrator.Simulation.Scenarios;
using Orchestrator.Simulation.Workloads;

namespace Orchestrator.Simulation.Tests;

/// <summary>The trace reader on a few rows in the Alibaba GPU trace's pod-list format, written here.</summary>
public sealed class AlibabaTraceTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"openb-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Pods_become_jobs_at_their_creation_time_running_from_scheduling_to_deletion()
    {
        File.WriteAllText(_path, """
            name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
            p0,12000,16384,1,1000,,LS,Running,100,1100,150
            p1,6000,12288,0,0,,BE,Running,200,900,200
            p2,6000,12288,2,1000,V100,LS,Succeeded,300,5300,400
            p3,6000,12288,1,460,,BE,Pending,400,800,
            p4,6000,12288,1,460,,BE,Failed,500,600,500
            p5,6000,12288,8,1000,,LS,Running,9000000,9000500,9000000
            """);

        var jobs = AlibabaTrace.Read(_path, "h100-80gb", durationSeconds: 86_400);

        // p1 has no GPU, p3 was never scheduled, p5 arrives after the simulated day; p4 is a share of 0.46 of a GPU.
        Assert.Equal(
            [new WorkloadJob("p0", 0, 1, 950, GpuType: "h100-80gb"), new WorkloadJob("p2", 200, 2, 4900, GpuType: "h100-80gb"),
                new WorkloadJob("p4", 400, 1, 100, GpuType: "h100-80gb", GpuMilli: 460)],
            jobs);
    }

    [Fact]
    public void Fractional_pods_share_devices_in_the_simulator_and_count_by_their_fraction()
    {
        // One node of 8 GPUs. Sixteen pods of half a GPU for 1,000 s arrive at 0, then a pod of 8 whole GPUs at 10.
        // As shares, all sixteen run at once, two per device (FGD fills a half-used device before opening another);
        // the 8-GPU pod waits for the shared devices to come back whole at 1,000 and ends at 2,000.
        var rows = Enumerable.Range(0, 16).Select(i => $"s{i:00},4000,8192,1,500,,LS,Running,0,1000,0")
            .Append("w,32000,65536,8,1000,,LS,Running,10,1010,10");
        File.WriteAllText(_path, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n" + string.Join("\n", rows));
        var scenario = Scenarios.Small(8, 10_000);

        var result = new Engine.Simulator(scenario, AlibabaTrace.Read(_path, "h100-80gb", scenario.DurationSeconds), new StepTimes(), new Random(1)).Run();

        var shares = result.Starts.Where(s => s.JobId.StartsWith('s')).ToList();
        Assert.Equal(16, shares.Count);
        Assert.All(shares, s => Assert.Equal(0, s.Seconds));
        Assert.All(shares.GroupBy(s => Assert.Single(s.DeviceIds)), device => Assert.Equal(2, device.Count()));
        Assert.Equal(1000, Assert.Single(result.Starts, s => s.JobId == "w").Seconds);
        Assert.Equal(17, result.JobsCompleted);
        // GPU-seconds: 16 × 0.5 × 1,000 + 8 × 1,000 = 16,000 of 8 × 2,000: every device fully used, as a fraction.
        Assert.Equal(1.0, result.Utilisation, 6);
        Assert.Equal(1.0, result.Goodput, 6);
        Assert.Equal(8.0, result.Samples.Where(s => s.Seconds is > 0 and < 1000).Max(s => s.AllocatedGpus), 6);
    }

    [Fact]
    public void A_gpu_pod_with_no_share_of_its_gpu_is_refused_with_its_line()
    {
        File.WriteAllText(_path, "name,num_gpu,gpu_milli,creation_time,deletion_time,scheduled_time\np0,1,0,0,10,0\n");

        var error = Assert.Throws<ScenarioException>(() => AlibabaTrace.Read(_path, null, 100));

        Assert.Contains("line 2: gpu_milli must be 1 to 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_row_is_refused_with_its_line()
    {
        File.WriteAllText(_path, "name,num_gpu,gpu_milli,creation_time,deletion_time,scheduled_time\np0,1,1000,0,x,0\n");

        var error = Assert.Throws<ScenarioException>(() => AlibabaTrace.Read(_path, null, 100));

        Assert.Contains("line 2: deletion_time must be a whole number", error.Message, StringComparison.Ordinal);
    }
}
