using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Api;

/// <summary>The body of every error answer: what went wrong, and for a refused document every field at fault.</summary>
/// <param name="Error">One line.</param>
/// <param name="Errors">Field errors (path, message, line), empty when not about a document.</param>
internal sealed record ApiError(string Error, IReadOnlyList<SpecError> Errors);
