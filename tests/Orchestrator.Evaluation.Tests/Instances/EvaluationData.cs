using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Tests.Instances;

/// <summary>The installed data of the built-in scenarios (scripts/test.sh installs it; missing data fails, never skips).</summary>
internal static class EvaluationData
{
    public static string Root =>
        BuiltinScenarios.ResolveDataRoot(null, AppContext.BaseDirectory)
        ?? throw new InvalidOperationException(
            $"the built-in scenarios' data is not installed: run scripts/install-test-tools.sh (or scripts/install-eval-data.sh), or set {BuiltinScenarios.DataRootVariable}");
}
