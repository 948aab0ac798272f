using Orchestrator.Contracts.Evaluation;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Runs;

/// <summary>
/// A run's scenarios loaded, and its evaluated instances in one order that every shard and the run agree on: scenarios
/// in spec order, each scenario's valid/test instances in file order, at most <c>maxInstances</c> of each. A shard's
/// range indexes this order.
/// </summary>
public sealed class RunInstances
{
    private readonly Dictionary<string, Scenario> _scenarios;

    private RunInstances(Dictionary<string, Scenario> scenarios, IReadOnlyList<EvaluationUnit> units)
    {
        _scenarios = scenarios;
        Units = units;
    }

    /// <summary>Every evaluated instance of the run, in order.</summary>
    public IReadOnlyList<EvaluationUnit> Units { get; }

    /// <summary>A loaded scenario by its name in the spec.</summary>
    public Scenario Scenario(string name) => _scenarios[name];

    /// <summary>Loads every scenario of <paramref name="spec"/>.</summary>
    /// <param name="spec">The run's spec.</param>
    /// <param name="builtin">Loads a built-in scenario by name; null where none are installed.</param>
    /// <exception cref="ArgumentException">A scenario cannot be loaded (names the scenario and why).</exception>
    public static RunInstances Load(EvaluationJobSpec spec, Func<string, Scenario>? builtin)
    {
        var scenarios = new Dictionary<string, Scenario>(StringComparer.Ordinal);
        var units = new List<EvaluationUnit>();
        for (var i = 0; i < spec.Scenarios.Count; i++)
        {
            var scenario = LoadScenario(spec.Scenarios[i], i, builtin);
            scenarios[spec.Scenarios[i].Name] = scenario;
            // Pre-perturbed copies in a file are evaluated beside their original; the unit is the original.
            var evaluated = scenario.EvaluationInstances.Where(x => x.Perturbation is null);
            if (spec.MaxInstances is { } max) evaluated = evaluated.Take(max);
            units.AddRange(evaluated.Select(x => new EvaluationUnit(units.Count, spec.Scenarios[i].Name, x)));
        }

        return new RunInstances(scenarios, units);
    }

    /// <summary>
    /// Loads built-in scenarios from the data root <paramref name="configured"/>, else the one the environment or this
    /// checkout has (<see cref="BuiltinScenarios.ResolveDataRoot"/>); null when none is installed.
    /// </summary>
    public static Func<string, Scenario>? Builtin(string? configured) =>
        ResolvedDataRoot(configured) is { } root ? name => BuiltinScenarios.Load(name, root) : null;

    /// <summary>The data root built-in scenarios are read from, or null when none is installed.</summary>
    public static string? ResolvedDataRoot(string? configured) => BuiltinScenarios.ResolveDataRoot(configured, AppContext.BaseDirectory);

    private static Scenario LoadScenario(EvaluationScenarioSpec spec, int index, Func<string, Scenario>? builtin)
    {
        var where = $"spec.scenarios[{index}] ({spec.Name})";
        try
        {
            if (spec.Source.StartsWith(EvaluationScenarioSpec.FilePrefix, StringComparison.Ordinal))
            {
                var path = spec.Source[EvaluationScenarioSpec.FilePrefix.Length..];
                if (!File.Exists(path)) throw new ArgumentException($"{where}: file '{path}' does not exist");
                return new Scenario(spec.Name, JsonlInstanceReader.ReadFile(path).Instances);
            }

            if (builtin is null) throw new ArgumentException($"{where}: '{spec.Source}' is not a file: scenario and no built-in scenarios are available here");
            return new Scenario(spec.Name, builtin(spec.Source).Instances);
        }
        catch (InstanceFormatException e)
        {
            throw new ArgumentException($"{where}: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            throw new ArgumentException($"{where}: {e.Message}", e);
        }
    }
}
