using Orchestrator.Simulation.Scenarios;

namespace Orchestrator.Simulation.Workloads;

/// <summary>
/// Draws a synthetic large-model job mix (see <see cref="SyntheticWorkload"/>) from the run's seeded random source:
/// Poisson arrivals, power-of-two sizes with geometric weights, log-normal durations capped at a maximum, a queue
/// chosen uniformly among the scenario's queues, the GPU type in proportion to the pools' sizes.
/// </summary>
internal static class SyntheticMix
{
    public static IReadOnlyList<WorkloadJob> Generate(SimulationScenario scenario, StepTimes stepTimes, Random random)
    {
        var mix = scenario.Workload.Synthetic ?? throw new ArgumentException("the scenario's workload is not synthetic", nameof(scenario));
        var pools = scenario.Cluster.Pools;
        var sizes = Sizes(mix, pools.Max(p => p.Gpus));
        var weights = sizes.Select((_, k) => Math.Pow(mix.SizeDecay, k)).ToArray();
        var mu = Math.Log(mix.MedianHours * 3600);

        // Arrival rate offering `load` of the cluster's GPU-seconds: load × GPUs / E[size] / E[duration]; the capped
        // log-normal's mean is estimated from a fixed-seed sample so the rate is the same for every run.
        var meanSize = sizes.Zip(weights).Sum(p => p.First * p.Second) / weights.Sum();
        var sampler = new Random(0);
        var meanSeconds = Enumerable.Range(0, 20_000).Average(_ => Duration(mix, mu, sampler));
        var rate = mix.Load * scenario.Cluster.TotalGpus / meanSize / meanSeconds;
        var queues = scenario.Queues.Count == 0 ? ["default"] : scenario.Queues.Select(q => q.Name).ToArray();
        var jobs = new List<WorkloadJob>();
        var time = 0.0;
        while (true)
        {
            time += -Math.Log(1 - random.NextDouble()) / rate;
            if (time > scenario.DurationSeconds || (mix.Jobs is { } cap && jobs.Count >= cap)) break;
            var pool = Pick(pools, pools.Select(p => (double)p.Gpus).ToArray(), random);
            var candidates = sizes.Where(s => s <= pool.Gpus).ToArray();
            var gpus = Pick(candidates, weights[..candidates.Length], random);
            var model = ModelPresets.ForGpus(gpus);
            var (_, stepSeconds) = stepTimes.For(model, pool.GpuType, gpus);
            var steps = Math.Max(1, Math.Round(Duration(mix, mu, random) / stepSeconds));
            jobs.Add(new WorkloadJob($"job-{jobs.Count:D6}", time, gpus, steps * stepSeconds, queues[random.Next(queues.Length)], 0, model, pool.GpuType));
        }

        return jobs;
    }

    private static int[] Sizes(SyntheticWorkload mix, int largestPool)
    {
        var sizes = new List<int>();
        for (var size = mix.MinGpus; size <= mix.MaxGpus && size <= largestPool; size *= 2) sizes.Add(size);
        return sizes.Count > 0 ? sizes.ToArray() : throw new ScenarioException($"workload.synthetic.minGpus ({mix.MinGpus}) exceeds every pool of the cluster (largest {largestPool})");
    }

    private static double Duration(SyntheticWorkload mix, double mu, Random random)
    {
        // Box-Muller: one standard normal from two uniforms.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Min(Math.Exp(mu + mix.Sigma * normal), mix.MaxHours * 3600);
    }

    private static T Pick<T>(IReadOnlyList<T> items, double[] weights, Random random)
    {
        var draw = random.NextDouble() * weights.Sum();
        for (var i = 0; i < items.Count; i++)
        {
            draw -= weights[i];
            if (draw < 0) return items[i];
        }

        return items[^1];
    }
}
