using System.Text.RegularExpressions;
using Orchestrator.Silo.Tests.Integration;

namespace Orchestrator.Silo.Tests.Metrics;

/// <summary>
/// The silo's HTTP host serves the documented series (cluster, per-job, per-queue, scheduling, Orleans and .NET
/// runtime) and the health endpoints, and promtool accepts the exposition.
/// </summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_and_health_are_served_per_job_series_end_with_their_job_and_promtool_accepts_the_text()
    {
        var options = DaemonHost.Options(TestJobs.TemporaryDirectory("metrics"));
        var port = options.MetricsPort = FreePorts.Next();
        using var host = await DaemonHost.StartAsync(options);
        Assert.Equal((200, "Healthy"), await Scrape.GetAsync(port, "/healthz"));
        var ready = await Scrape.GetAsync(port, "/readyz");
        Assert.Equal(200, ready.Status);
        Assert.Contains("cluster-membership: Healthy", ready.Body);

        await using (var client = await DaemonHost.ConnectAsync(options))
        {
            var finished = (await client.SubmitAsync(TestJobs.Tiny("metrics", steps: 10))).Id;
            await JobWaits.UntilStateAsync(client.Grains, finished, Contracts.Jobs.JobState.Succeeded, TimeSpan.FromMinutes(2));

            // While a job runs it has its own series, labelled with its id and queue; long enough to be seen, then cancelled.
            var longJob = TestJobs.Tiny("long", steps: 1_000_000) with { Checkpoint = new Contracts.Jobs.CheckpointSpec(EverySteps: 10) };
            var id = (await client.SubmitAsync(longJob)).Id;
            const string allocated = "orchestrator_gpus{state=\"allocated\",gpu_type=\"cpu\"} 1";
            var running = await Scrape.UntilAsync(port, t => t.Contains($"orchestrator_job_checkpoint_stall_seconds{{job=\"{id}\",queue=\"default\"}}") && t.Contains(allocated),
                TimeSpan.FromMinutes(2), $"series of job {id} and its device allocated");
            foreach (var name in new[] { "orchestrator_job_step_duration_seconds_bucket{job=", "orchestrator_job_running_goodput_ratio{job=", "orchestrator_job_restarts{job=", "orchestrator_job_loss{job=", "orchestrator_job_tokens_per_second{job=" })
                Assert.Contains(name, running);
            await client.CancelAsync(id);

            // Once it ended its series go, and the state it left reads 0 instead of keeping its last value.
            var text = await Scrape.UntilAsync(port, t => t.Contains("orchestrator_jobs{state=\"cancelled\"} 1") && !t.Contains($"job=\"{id}\""), TimeSpan.FromSeconds(20), "the job's series removed");
            File.WriteAllText(Path.Combine(Path.GetTempPath(), "orchestrator-metrics-sample.txt"), text);
            foreach (var name in new[]
                     {
                         "orchestrator_gpus{state=\"allocated\",gpu_type=\"cpu\"} 0", "orchestrator_gpus{state=\"free\",gpu_type=\"cpu\"} 2",
                         "orchestrator_gpus{state=\"failed\",gpu_type=\"cpu\"} 0", "orchestrator_node_gpus{node=", "orchestrator_queue_length",
                         "orchestrator_queue_pending_jobs{queue=\"default\"} 0", "orchestrator_queue_wait_seconds_count{queue=\"default\"} 2",
                         "orchestrator_scheduling_decisions_total{decision=\"placed\"} 2", "orchestrator_scheduling_decisions_total{decision=\"preempted\"} 0",
                         "orchestrator_scheduling_pass_duration_seconds_bucket", "orchestrator_placement_duration_seconds_bucket",
                         "orchestrator_heartbeat_lag_seconds_bucket", "orchestrator_training_step_duration_seconds_count",
                         "orchestrator_training_tokens_total", "orchestrator_silos 1", "orchestrator_silos_expected 1",
                         // The job checkpointed (at least its last step) and succeeded once.
                         "orchestrator_checkpoint_stall_seconds_count", "orchestrator_checkpoint_deduplication_ratio",
                         "orchestrator_checkpoint_written_bytes_total", "orchestrator_job_goodput_ratio_count 1",
                         // Orleans' meters, the .NET runtime's meters and the process.
                         "microsoft_orleans_orleans_app_requests_latency_bucket", "system_runtime_dotnet_gc_collections", "process_cpu_seconds_total",
                     })
            {
                Assert.Contains(name, text);
            }

            Assert.Matches(@"orchestrator_checkpoints_committed_total [1-9]", text);
            Assert.DoesNotMatch(new Regex("orchestrator_job_tokens_per_second\\{"), text);
            var (exit, complaints) = await Scrape.CheckAsync(text);
            Assert.True(exit == 0, $"promtool check metrics failed:\n{complaints}");
        }

        await host.StopAsync();
    }
}
