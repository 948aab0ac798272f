using System.CommandLine;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// The <c>orch plan</c> flags that describe how a model is built and trained (attention, activation, embeddings,
/// precision, gradients, optimizer sharding, overlap), applied over the model and training of a file or of the
/// other flags, then checked by the job-spec rules so a bad value names its field and what is allowed.
/// </summary>
internal static class PlanDescriptionFlags
{
    private static readonly string[] OverlapNames = ["grad-reduce", "param-gather", "tensor"];

    public static ModelSpec Model(ParseResult parse, PlanOptions options, ModelSpec model)
    {
        var attention = model.Attention ?? new AttentionSpec();
        if (parse.GetValue(options.QueryGroups) is { } groups) attention = attention with { QueryGroups = groups };
        if (parse.GetValue(options.Flash) is { } flash) attention = attention with { Flash = flash };
        var described = model with
        {
            Attention = attention,
            Activation = parse.GetValue(options.Activation) ?? model.Activation,
            UntiedEmbeddings = model.UntiedEmbeddings || parse.GetValue(options.UntiedEmbeddings),
            Precision = parse.GetValue(options.Precision) ?? model.Precision,
        };
        if (described.Activation is { } activation && !ModelSpec.Activations.Contains(activation))
            throw new ArgumentException($"--activation: '{activation}' is not an activation; allowed: {string.Join(", ", ModelSpec.Activations)}");
        if (described.Precision is { } precision && !ModelSpec.Precisions.Contains(precision))
            throw new ArgumentException($"--precision: '{precision}' is not a number format; allowed: {string.Join(", ", ModelSpec.Precisions)}");
        if (attention.QueryGroups is { } g && (g < 1 || described.Heads % g != 0))
            throw new ArgumentException($"--query-groups: must be a positive divisor of the {described.Heads} heads, got {g}");
        return described;
    }

    public static TrainingSpec Training(ParseResult parse, PlanOptions options, TrainingSpec training)
    {
        var described = training with
        {
            MainGradients = parse.GetValue(options.MainGradients) ?? training.MainGradients,
            DistributedOptimizer = parse.GetValue(options.DistributedOptimizer) ?? training.DistributedOptimizer,
        };
        if (described.MainGradients is { } grads && !TrainingSpec.MainGradientFormats.Contains(grads))
            throw new ArgumentException($"--main-gradients: '{grads}' is not a gradient format; allowed: {string.Join(", ", TrainingSpec.MainGradientFormats)}");
        if (parse.GetValue(options.Overlap) is not { } text) return described;

        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names is ["none"]) return described with { Overlap = new OverlapSpec(false, false, false) };
        if (names.Length == 0 || names.Any(n => !OverlapNames.Contains(n)))
            throw new ArgumentException($"--overlap: '{text}' must be none or a comma list of {string.Join(", ", OverlapNames)}");
        return described with { Overlap = new OverlapSpec(names.Contains("grad-reduce"), names.Contains("param-gather"), names.Contains("tensor")) };
    }
}
