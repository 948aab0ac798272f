using System.Text.Json;

namespace Orchestrator.Evaluation.Runs;

/// <summary>
/// One line of a shard's results file: every per-instance result of one unit (the original, its perturbed copies,
/// every train trial) and its request states (HELM's scenario state), written together once the unit is scored.
/// </summary>
internal sealed record UnitResult(int Index, string Scenario, string InstanceId, IReadOnlyList<StoredInstanceStats> Stats, JsonElement Requests);
