namespace Orchestrator.Contracts.Jobs;

/// <summary>Where training tokens come from.</summary>
/// <param name="Source"><c>builtin:synthetic</c> (a built-in task a small GPT learns quickly) or <c>file:PATH</c> (a text file, GPT-2 BPE).</param>
[GenerateSerializer, Immutable]
public sealed record DataSpec([property: Id(0)] string Source);
