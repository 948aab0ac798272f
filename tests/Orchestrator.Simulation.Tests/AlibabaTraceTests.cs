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

        // p1 has no GPU, p3 was never scheduled, p5 arrives after the simulated day; p4 is fractional: one whole GPU.
        Assert.Equal(
            [new WorkloadJob("p0", 0, 1, 950, GpuType: "h100-80gb"), new WorkloadJob("p2", 200, 2, 4900, GpuType: "h100-80gb"), new WorkloadJob("p4", 400, 1, 100, GpuType: "h100-80gb")],
            jobs);
    }

    [Fact]
    public void A_malformed_row_is_refused_with_its_line()
    {
        File.WriteAllText(_path, "name,num_gpu,gpu_milli,creation_time,deletion_time,scheduled_time\np0,1,1000,0,x,0\n");

        var error = Assert.Throws<ScenarioException>(() => AlibabaTrace.Read(_path, null, 100));

        Assert.Contains("line 2: deletion_time must be a whole number", error.Message, StringComparison.Ordinal);
    }
}
