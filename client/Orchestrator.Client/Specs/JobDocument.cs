using Orchestrator.Contracts.Evaluation;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client.Specs;

/// <summary>A job document of either kind: exactly one of the two specs is set.</summary>
/// <param name="Training">A <c>kind: TrainingJob</c> document.</param>
/// <param name="Evaluation">A <c>kind: EvaluationJob</c> document.</param>
public sealed record JobDocument(TrainingJobSpec? Training, EvaluationJobSpec? Evaluation);
