namespace Orchestrator.Evaluation.Instances;

/// <summary>The split names of HELM's scenarios: in-context examples come from train, evaluation uses valid and test.</summary>
public static class Splits
{
    /// <summary>Training instances: the pool in-context examples are drawn from.</summary>
    public const string Train = "train";

    /// <summary>Validation instances (evaluated).</summary>
    public const string Valid = "valid";

    /// <summary>Test instances (evaluated).</summary>
    public const string Test = "test";

    /// <summary>Every split an instance may carry.</summary>
    public static IReadOnlyList<string> All { get; } = [Train, Valid, Test];

    /// <summary>Whether instances of the split are evaluated (HELM's EVAL_SPLITS).</summary>
    public static bool IsEvaluation(string split) => split is Valid or Test;
}
