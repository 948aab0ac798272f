using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Contracts.Scheduling;

/// <summary>
/// The rules of Queue and PriorityClass documents, used by <c>orch apply</c> before sending and by the control plane
/// before storing. Errors name the field by path below the document's own prefix (e.g. <c>documents[1]</c>).
/// </summary>
public static class SchedulingDocumentsValidator
{
    /// <summary>Most device types one queue may list.</summary>
    public const int MaxQuotas = 64;

    /// <summary>Every rule a queue document breaks; <paramref name="at"/> prefixes each path.</summary>
    public static IReadOnlyList<SpecError> ValidateQueue(QueueSpec queue, string at)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var errors = new List<SpecError>();
        NameRule(errors, at, queue.Name);
        if (queue.Cohort is not null && !QueueNames.IsValid(queue.Cohort))
            errors.Add(new SpecError(Path(at, "spec.cohort"), $"'{queue.Cohort}' is not a valid cohort name: use {QueueNames.Rule}"));
        if (!double.IsFinite(queue.FairShareWeight) || queue.FairShareWeight <= 0 || queue.FairShareWeight > 1e6)
            errors.Add(new SpecError(Path(at, "spec.fairShareWeight"), $"must be a number above 0 and at most 1000000, got {queue.FairShareWeight}"));
        if (queue.Quotas.Count > MaxQuotas)
            errors.Add(new SpecError(Path(at, "spec.quotas"), $"lists {queue.Quotas.Count} device types; at most {MaxQuotas}"));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < queue.Quotas.Count; i++)
        {
            var quota = queue.Quotas[i];
            var field = Path(at, $"spec.quotas[{i}]");
            if (string.IsNullOrWhiteSpace(quota.GpuType))
                errors.Add(new SpecError($"{field}.gpuType", "is required: a device type such as h100"));
            else if (!seen.Add(quota.GpuType))
                errors.Add(new SpecError($"{field}.gpuType", $"'{quota.GpuType}' is listed twice; one quota per device type"));
            if (quota.Nominal < 0)
                errors.Add(new SpecError($"{field}.nominal", $"must be 0 or more, got {quota.Nominal}"));
            if (quota.BorrowingLimit is < 0)
                errors.Add(new SpecError($"{field}.borrowingLimit", $"must be 0 or more, got {quota.BorrowingLimit}"));
            if (quota.LendingLimit is { } lending && (lending < 0 || lending > quota.Nominal))
                errors.Add(new SpecError($"{field}.lendingLimit", $"must be between 0 and the nominal quota ({quota.Nominal}), got {lending}"));
            if (queue.Cohort is null && (quota.BorrowingLimit is not null || quota.LendingLimit is not null))
                errors.Add(new SpecError($"{field}", "borrowingLimit and lendingLimit need spec.cohort: a queue without a cohort neither borrows nor lends"));
        }

        return errors;
    }

    /// <summary>Every rule a priority-class document breaks; <paramref name="at"/> prefixes each path.</summary>
    public static IReadOnlyList<SpecError> ValidatePriorityClass(PriorityClassSpec priorityClass, string at)
    {
        ArgumentNullException.ThrowIfNull(priorityClass);
        var errors = new List<SpecError>();
        NameRule(errors, at, priorityClass.Name);
        if (!Enum.IsDefined(priorityClass.PreemptionPolicy))
            errors.Add(new SpecError(Path(at, "spec.preemptionPolicy"), $"'{priorityClass.PreemptionPolicy}' is not allowed; use one of {string.Join(", ", Enum.GetNames<PreemptionPolicy>())}"));
        if (priorityClass.Description is { Length: > 1024 })
            errors.Add(new SpecError(Path(at, "spec.description"), $"is {priorityClass.Description.Length} characters; at most 1024"));
        return errors;
    }

    /// <summary>Every rule a set of documents breaks, each checked alone and a name given twice in one kind.</summary>
    public static IReadOnlyList<SpecError> Validate(SchedulingDocuments documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var errors = new List<SpecError>();
        for (var i = 0; i < documents.Queues.Count; i++)
            errors.AddRange(ValidateQueue(documents.Queues[i], $"queues[{i}]"));
        for (var i = 0; i < documents.PriorityClasses.Count; i++)
            errors.AddRange(ValidatePriorityClass(documents.PriorityClasses[i], $"priorityClasses[{i}]"));
        errors.AddRange(documents.Queues.GroupBy(q => q.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => new SpecError("queues", $"queue '{g.Key}' is given {g.Count()} times; once per apply")));
        errors.AddRange(documents.PriorityClasses.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => new SpecError("priorityClasses", $"priority class '{g.Key}' is given {g.Count()} times; once per apply")));
        return errors;
    }

    private static void NameRule(List<SpecError> errors, string at, string name)
    {
        if (!QueueNames.IsValid(name))
            errors.Add(new SpecError(Path(at, "metadata.name"), $"'{name}' is not a valid name: use {QueueNames.Rule}"));
    }

    private static string Path(string at, string field) => at.Length == 0 ? field : $"{at}.{field}";
}
