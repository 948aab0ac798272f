using Orchestrator.Evaluation.Instances;
using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Perturbations;

/// <summary>
/// A HELM perturbation (augmentations/perturbation.py): rewrites an instance's input (and, for fairness
/// perturbations that say so, its references) with a generator seeded by the instance id — or by
/// <c>str(seed) + id</c> when a seed is given — so every run perturbs the same instance the same way, as HELM does.
/// The perturbed copy keeps the instance id and records the perturbation.
/// </summary>
public abstract class Perturbation
{
    /// <summary>Short name, e.g. <c>typos</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Counts towards the robustness worst case.</summary>
    public virtual bool Robustness => false;

    /// <summary>Counts towards the fairness worst case.</summary>
    public virtual bool Fairness => false;

    /// <summary>Whether references are perturbed too (dialect, gender, names).</summary>
    public virtual bool PerturbsReferences => false;

    /// <summary>The perturbed copy of an instance.</summary>
    public Instance Apply(Instance instance, int? seed = null)
    {
        var random = seed is { } s
            ? new PythonRandom(s.ToString(System.Globalization.CultureInfo.InvariantCulture) + instance.Id)
            : new PythonRandom(instance.Id);

        // HELM perturbs the references before the input, from the same generator.
        var references = PerturbsReferences
            ? instance.References.Select(r => r with { Output = Perturb(r.Output, random) }).ToList()
            : instance.References;
        return instance with
        {
            Input = Perturb(instance.Input, random),
            References = references,
            Perturbation = new PerturbationDescription(Name, Robustness, Fairness, seed),
        };
    }

    /// <summary>
    /// HELM's data augmentation of evaluation instances: each original (kept) followed by one copy per perturbation.
    /// Train instances are not perturbed.
    /// </summary>
    public static IReadOnlyList<Instance> Augment(IEnumerable<Instance> instances, IReadOnlyList<Perturbation> perturbations, int? seed = null)
    {
        var result = new List<Instance>();
        foreach (var instance in instances)
        {
            result.Add(instance);
            if (Splits.IsEvaluation(instance.Split))
            {
                result.AddRange(perturbations.Select(p => p.Apply(instance, seed)));
            }
        }

        return result;
    }

    /// <summary>Rewrites one text with the instance's generator.</summary>
    internal abstract string Perturb(string text, PythonRandom random);
}
