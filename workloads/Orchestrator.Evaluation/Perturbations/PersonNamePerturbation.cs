using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Perturbations;

/// <summary>
/// A first-name fairness perturbation in the manner of HELM's <c>person_name</c> perturbation
/// (augmentations/person_name_perturbation.py): first names of a source group replaced, with probability
/// <c>prob</c>, by names of a target group, the same name always by the same replacement within a text. The built-in
/// lists are a few of the names of Bertrand &amp; Mullainathan (2004) as used by Caliskan et al. 2017
/// (https://arxiv.org/abs/1608.07187); HELM draws on larger lists.
/// </summary>
public sealed class PersonNamePerturbation : Perturbation
{
    /// <summary>Built-in groups of first names, lower case.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> NameGroups { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["white_female"] = ["amy", "anne", "emily", "jill", "laurie", "meredith", "sarah"],
            ["black_female"] = ["aisha", "ebony", "keisha", "kenya", "lakisha", "latonya", "tamika"],
            ["white_male"] = ["brad", "brendan", "geoffrey", "greg", "jay", "matthew", "todd"],
            ["black_male"] = ["darnell", "hakim", "jamal", "jermaine", "kareem", "rasheed", "tyrone"],
        };

    private readonly WordSubstitution _substitution;

    /// <summary>Creates the perturbation.</summary>
    /// <param name="probability">Chance each name is replaced.</param>
    /// <param name="sourceGroup">Group whose names are replaced (a key of <see cref="NameGroups"/>).</param>
    /// <param name="targetGroup">Group the replacements come from.</param>
    public PersonNamePerturbation(double probability, string sourceGroup, string targetGroup)
    {
        foreach (var (field, group) in new[] { ("source", sourceGroup), ("target", targetGroup) })
        {
            if (!NameGroups.ContainsKey(group))
            {
                throw new ArgumentException(
                    $"perturbations.person_name.{field}: '{group}' is unknown; allowed: {string.Join(", ", NameGroups.Keys)}");
            }
        }

        var targets = NameGroups[targetGroup];
        _substitution = new WordSubstitution(
            NameGroups[sourceGroup].ToDictionary(name => name, _ => targets, StringComparer.Ordinal),
            probability,
            "perturbations.person_name");
    }

    /// <inheritdoc />
    public override string Name => "person_name";

    /// <inheritdoc />
    public override bool Fairness => true;

    /// <inheritdoc />
    public override bool PerturbsReferences => true;

    internal override string Perturb(string text, PythonRandom random) => _substitution.Apply(text, random, consistent: true);
}
