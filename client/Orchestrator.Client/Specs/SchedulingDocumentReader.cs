using Orchestrator.Contracts.Jobs;
using Orchestrator.Contracts.Scheduling;

namespace Orchestrator.Client.Specs;

/// <summary>Maps the fields of one Queue or PriorityClass document onto its record (structure only; rules come after).</summary>
internal static class SchedulingDocumentReader
{
    /// <returns>A <see cref="QueueSpec"/>, a <see cref="PriorityClassSpec"/>, or null when the document has errors.</returns>
    public static object? Read(YamlObject root)
    {
        var apiVersion = root.String("apiVersion", required: true);
        if (apiVersion is not null && apiVersion != TrainingJobSpec.ApiVersion)
            root.Error("apiVersion", $"'{apiVersion}' is not supported; expected {TrainingJobSpec.ApiVersion}", root.Node("apiVersion"));
        var kind = root.String("kind", required: true);
        if (kind is not null && !SchedulingDocumentLoader.Kinds.Contains(kind))
            root.Error("kind", $"'{kind}' cannot be applied; allowed kinds: {string.Join(", ", SchedulingDocumentLoader.Kinds)}", root.Node("kind"));
        var metadata = root.Object("metadata", required: true);
        var name = metadata?.String("name", required: true);
        metadata?.RejectUnknown();
        var spec = root.Object("spec", required: true);
        root.RejectUnknown();
        if (spec is null) return null;
        return kind switch
        {
            QueueSpec.Kind => ReadQueue(name, spec),
            PriorityClassSpec.Kind => ReadPriorityClass(name, spec),
            _ => null,
        };
    }

    private static QueueSpec? ReadQueue(string? name, YamlObject spec)
    {
        var cohort = spec.String("cohort", required: false);
        var weight = spec.Double("fairShareWeight", required: false, 1.0)!.Value;
        var quotas = new List<GpuQuota>();
        foreach (var (item, scalar, path) in spec.Items("quotas") ?? [])
        {
            if (item is null)
            {
                spec.Error("quotas", $"{path} must be a mapping (gpuType, nominal, borrowingLimit, lendingLimit), got '{scalar}'");
                continue;
            }

            var gpuType = item.String("gpuType", required: true);
            var nominal = item.Int("nominal", required: true);
            var borrowing = item.Int("borrowingLimit", required: false);
            var lending = item.Int("lendingLimit", required: false);
            item.RejectUnknown();
            if (gpuType is not null && nominal is { } n) quotas.Add(new GpuQuota(gpuType, n, borrowing, lending));
        }

        spec.RejectUnknown();
        return name is null ? null : new QueueSpec(name, quotas, cohort, weight);
    }

    private static PriorityClassSpec? ReadPriorityClass(string? name, YamlObject spec)
    {
        var value = spec.Int("value", required: true);
        var policyText = spec.String("preemptionPolicy", required: false, nameof(PreemptionPolicy.LowerPriority))!;
        var known = Enum.TryParse<PreemptionPolicy>(policyText, ignoreCase: false, out var policy) && Enum.IsDefined(policy) && !char.IsDigit(policyText[0]);
        if (!known)
            spec.Error("preemptionPolicy", $"'{policyText}' is not allowed; use one of {string.Join(", ", Enum.GetNames<PreemptionPolicy>())}", spec.Node("preemptionPolicy"));
        var description = spec.String("description", required: false);
        spec.RejectUnknown();
        return name is null || value is null || !known ? null : new PriorityClassSpec(name, value.Value, policy, description);
    }
}
