using Orchestrator.Contracts.Cluster;
using Orchestrator.Contracts.Jobs;
using Orchestrator.Planning.Hardware;

namespace Orchestrator.Silo.Jobs;

/// <summary>The rules a job must satisfy against the cluster it is submitted to.</summary>
internal static class SubmissionValidator
{
    public static IReadOnlyList<SpecError> Validate(TrainingJobSpec spec, InventorySnapshot? inventory)
    {
        var errors = TrainingJobSpecValidator.Validate(spec).ToList();
        return errors.Count > 0 ? errors : ValidateAgainstCluster(spec, inventory);
    }

    /// <summary>Only the rules against the cluster: device type known and present, enough devices, tensor groups inside a domain.</summary>
    public static IReadOnlyList<SpecError> ValidateAgainstCluster(TrainingJobSpec spec, InventorySnapshot? inventory)
    {
        var errors = new List<SpecError>();
        if (inventory is null || inventory.Nodes.Count == 0)
            return [new SpecError("spec.resources", "the cluster has no inventory yet; no job can be placed")];

        var type = spec.Resources.GpuType;
        if (type is not null && !HardwareCatalog.TryGet(type, out _))
            return [new SpecError("spec.resources.gpuType", $"unknown GPU type '{type}'; known: {string.Join(", ", HardwareCatalog.All.Select(m => m.Name))}")];

        var nodes = inventory.Nodes.Where(n => type is null || string.Equals(n.GpuType, type, StringComparison.OrdinalIgnoreCase)).ToList();
        var available = nodes.Sum(n => n.GpuCount);
        if (available == 0)
        {
            var present = string.Join(", ", inventory.Nodes.Select(n => n.GpuType).Distinct());
            return [new SpecError("spec.resources.gpuType", $"the cluster has no '{type}' devices; it has: {present}")];
        }

        if (spec.Resources.Gpus > available)
            errors.Add(new SpecError("spec.resources.gpus", $"{spec.Resources.Gpus} exceeds the {available} {(type ?? "")} devices the cluster has".Replace("  ", " ")));

        if (!spec.Parallelism.Auto && spec.Parallelism.Context > 1 && spec.Runtime.IsBuiltIn)
            errors.Add(new SpecError("spec.parallelism.context",
                $"{spec.Parallelism.Context}: the built-in TorchSharp runtime does not run context parallelism (ring attention); use context: 1, " +
                "or give runtime.image or runtime.command for a runtime that does (it receives ORCH_CONTEXT)"));

        var largestDomain = nodes.GroupBy(n => n.NvlinkDomain).Max(g => g.Sum(n => n.GpuCount));
        if (!spec.Parallelism.Auto && spec.Parallelism.Tensor > largestDomain)
            errors.Add(new SpecError("spec.parallelism.tensor", $"{spec.Parallelism.Tensor} exceeds the largest NVLink domain ({largestDomain} devices): a tensor-parallel group never spans domains"));
        return errors;
    }
}
