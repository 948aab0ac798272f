namespace Orchestrator.Simulation.Scenarios;

/// <summary>
/// A synthetic large-model job mix. Sizes are powers of two from <see cref="MinGpus"/> to <see cref="MaxGpus"/>, size
/// 2^k·MinGpus drawn with weight <see cref="SizeDecay"/>^k (many small jobs, few huge ones); wall-clock durations at
/// the planned step time are log-normal (heavy-tailed) with the given median and σ, capped at
/// <see cref="MaxHours"/>; arrivals are Poisson at the rate that offers <see cref="Load"/> of the cluster's GPU-hours.
/// The model trained is chosen by size (see <c>ModelPresets</c>) and its step time comes from the planner.
/// </summary>
internal sealed record SyntheticWorkload(
    double Load = 0.9,
    int MinGpus = 8,
    int MaxGpus = 8192,
    double SizeDecay = 0.6,
    double MedianHours = 2,
    double Sigma = 1.5,
    double MaxHours = 336,
    int? Jobs = null);
