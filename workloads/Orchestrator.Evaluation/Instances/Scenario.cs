namespace Orchestrator.Evaluation.Instances;

/// <summary>A named set of instances over the train, valid and test splits (HELM's <c>Scenario</c> after loading).</summary>
public sealed class Scenario
{
    /// <summary>Creates a scenario; instance ids must be unique per (split, perturbation).</summary>
    /// <exception cref="ArgumentException">An id repeats.</exception>
    public Scenario(string name, IReadOnlyList<Instance> instances)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var seen = new HashSet<(string, string?)>();
        foreach (var instance in instances)
        {
            if (!seen.Add((instance.Id, instance.Perturbation?.Name)))
            {
                throw new ArgumentException(
                    $"scenario '{name}': instance id '{instance.Id}' appears twice; ids must be unique", nameof(instances));
            }
        }

        Name = name;
        Instances = instances;
    }

    /// <summary>The scenario name (a built-in name or <c>file:PATH.jsonl</c>).</summary>
    public string Name { get; }

    /// <summary>All instances in file order.</summary>
    public IReadOnlyList<Instance> Instances { get; }

    /// <summary>The instances of one split, in order.</summary>
    public IReadOnlyList<Instance> InSplit(string split) => Instances.Where(i => i.Split == split).ToList();

    /// <summary>The instances that are evaluated (valid and test), in order.</summary>
    public IReadOnlyList<Instance> EvaluationInstances => Instances.Where(i => Splits.IsEvaluation(i.Split)).ToList();
}
