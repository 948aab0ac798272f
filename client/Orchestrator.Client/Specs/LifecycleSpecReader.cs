using Orchestrator.Contracts.Jobs;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Client.Specs;

/// <summary>Reads the lifecycle fields of a TrainingJob's <c>spec</c>: <c>timeLimit</c> and <c>dependsOn</c>.</summary>
internal static class LifecycleSpecReader
{
    public static TimeSpan? ReadTimeLimit(YamlObject spec)
    {
        switch (spec.Node("timeLimit"))
        {
            case null:
                return null;
            case YamlScalarNode { Value: { } text } node:
                try
                {
                    return LifecycleSpecRules.ParseTimeLimit(text);
                }
                catch (FormatException e)
                {
                    spec.Error("timeLimit", e.Message, node);
                    return null;
                }

            case var other:
                spec.Error("timeLimit", "must be a time such as '90m' or '2h'", other);
                return null;
        }
    }

    /// <summary>The ids listed; a single id may also be written as a plain value.</summary>
    public static IReadOnlyList<string>? ReadDependsOn(YamlObject spec) =>
        spec.Node("dependsOn") is YamlScalarNode { Value: { Length: > 0 } single } ? [single] : spec.StringList("dependsOn");
}
