using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Workloads.Evaluation;

/// <summary>Which training checkpoint the built-in client evaluates.</summary>
/// <param name="StoreRoot">The checkpoint store's root directory.</param>
/// <param name="JobId">The training job whose checkpoint it is.</param>
/// <param name="Step">The checkpoint's step.</param>
/// <param name="Model">The training job's <c>spec.model</c> (the shape the checkpoint must hold).</param>
public sealed record BuiltinModelSource(string StoreRoot, string JobId, long Step, ModelSpec Model);
