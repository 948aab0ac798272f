using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Lineage;

namespace Orchestrator.Silo.Lineage;

/// <summary>Resolves a spec's <c>model.from</c> in the lineage graph, for training jobs and evaluation runs alike.</summary>
internal static class StartingVersion
{
    private const string Field = "spec.model.from";

    /// <summary>The version <paramref name="reference"/> names, or the error on <c>spec.model.from</c> that says why none does.</summary>
    public static async Task<(ModelVersionView? Version, SpecError? Error)> ResolveAsync(IGrainFactory grains, string reference)
    {
        try
        {
            return (await grains.GetGrain<ILineageGrain>("default").ResolveAsync(reference), null);
        }
        catch (ArgumentException e)
        {
            // The graph names its argument "reference"; the user wrote the field.
            return (null, new SpecError(Field, e.Message.StartsWith("reference: ", StringComparison.Ordinal) ? e.Message["reference: ".Length..] : e.Message));
        }
    }
}
