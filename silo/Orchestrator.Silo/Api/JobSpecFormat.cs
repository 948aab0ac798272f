using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Api;

/// <summary>
/// How the HTTP API reads job documents and names jobs: the SDK's loader (YAML or JSON, the same field-path errors)
/// and id maker, handed in by the host because the silo does not reference the client library.
/// </summary>
/// <param name="Parse">Reads and validates a document; throws <see cref="JobSpecException"/> naming every field at fault.</param>
/// <param name="NewJobId">A new job id for a job of the given name.</param>
public sealed record JobSpecFormat(Func<string, TrainingJobSpec> Parse, Func<string, string> NewJobId);
