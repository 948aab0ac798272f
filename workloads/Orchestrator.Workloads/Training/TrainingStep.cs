namespace Orchestrator.Workloads.Training;

/// <summary>One completed optimizer step.</summary>
/// <param name="Step">The step number, counted from 0 over the whole job (a resumed run continues the count).</param>
/// <param name="Loss">Mean next-token cross-entropy over the step's global batch (nats): the language-model loss alone. An MoE model's load-balancing and z-losses are not included: the kernels' stage model returns the language-model loss and joins them to the MoE layers' backward, so they are trained on but never reported.</param>
/// <param name="Tokens">Tokens the step trained on (global batch × sequence length).</param>
/// <param name="StepSeconds">Wall time of the step.</param>
/// <param name="TokensPerSecond">Tokens / StepSeconds.</param>
/// <param name="ModelFlops">FLOPs of the step over all devices, by Megatron-LM's count (see <see cref="Training.ModelFlops"/>; includes the recomputed forward under full recomputation).</param>
/// <param name="Mfu">Model FLOPs utilization: ModelFlops / (StepSeconds · devices · peak FLOP/s per device); null when <see cref="TrainingOptions.PeakFlopsPerDevice"/> is unknown.</param>
public sealed record TrainingStep(long Step, double Loss, long Tokens, double StepSeconds, double TokensPerSecond, double ModelFlops, double? Mfu);
