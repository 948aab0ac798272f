using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Security;

/// <summary>What a rule looks at besides the caller: the job the call is about, its owner, the attempt it names, the metadata of the spec it submits.</summary>
internal readonly record struct CallFacts(string Method, string? JobId, string? Owner, int? Attempt, JobMetadata? Submitted);
