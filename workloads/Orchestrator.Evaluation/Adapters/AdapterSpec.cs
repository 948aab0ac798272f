namespace Orchestrator.Evaluation.Adapters;

/// <summary>
/// How instances become requests (HELM's <c>AdapterSpec</c>, adaptation/adapter_spec.py), with HELM's defaults.
/// </summary>
public sealed record AdapterSpec
{
    /// <summary>The adaptation method.</summary>
    public AdapterMethod Method { get; init; } = AdapterMethod.Generation;

    /// <summary>Model (deployment) name the requests are for.</summary>
    public string Model { get; init; } = "";

    /// <summary>Instructions placed before the examples (omitted when empty).</summary>
    public string Instructions { get; init; } = "";

    /// <summary>Text before the whole prompt.</summary>
    public string GlobalPrefix { get; init; } = "";

    /// <summary>Text after the whole prompt.</summary>
    public string GlobalSuffix { get; init; } = "";

    /// <summary>Before each input.</summary>
    public string InputPrefix { get; init; } = "Input: ";

    /// <summary>After each input.</summary>
    public string InputSuffix { get; init; } = "\n";

    /// <summary>Before each reference in multiple_choice_joint; its first non-space character is the first letter.</summary>
    public string ReferencePrefix { get; init; } = "A. ";

    /// <summary>After each reference in multiple_choice_joint.</summary>
    public string ReferenceSuffix { get; init; } = "\n";

    /// <summary>Before each output (right-trimmed after the evaluated input, where the model continues).</summary>
    public string OutputPrefix { get; init; } = "Output: ";

    /// <summary>After each in-context output.</summary>
    public string OutputSuffix { get; init; } = "\n";

    /// <summary>Between the instructions and each example.</summary>
    public string InstancePrefix { get; init; } = "\n";

    /// <summary>At most this many in-context examples.</summary>
    public int MaxTrainInstances { get; init; } = 5;

    /// <summary>Number of train trials, each with its own examples (seed = trial index).</summary>
    public int NumTrainTrials { get; init; } = 1;

    /// <summary>Sample examples by label (true) or take them in order (false).</summary>
    public bool SampleTrain { get; init; } = true;

    /// <summary>Completions per request (generation) or top-k per token (multiple_choice_joint).</summary>
    public int NumOutputs { get; init; } = 5;

    /// <summary>Sampling temperature.</summary>
    public double Temperature { get; init; } = 1;

    /// <summary>Most tokens to generate.</summary>
    public int MaxTokens { get; init; } = 100;

    /// <summary>Generation stops at any of these.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>All correct references form the in-context output, joined by ", ".</summary>
    public bool MultiLabel { get; init; }

    /// <summary>Problems with the spec, each naming its field; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxTrainInstances < 0) errors.Add("adapter.maxTrainInstances: must be >= 0");
        if (NumTrainTrials < 1) errors.Add("adapter.numTrainTrials: must be >= 1");
        if (NumOutputs < 1) errors.Add("adapter.numOutputs: must be >= 1");
        if (Temperature < 0 || double.IsNaN(Temperature)) errors.Add("adapter.temperature: must be >= 0");
        if (MaxTokens < 0) errors.Add("adapter.maxTokens: must be >= 0");
        if (StopSequences.Any(string.IsNullOrEmpty)) errors.Add("adapter.stopSequences: entries must not be empty");
        if (Method == AdapterMethod.MultipleChoiceJoint && string.IsNullOrWhiteSpace(ReferencePrefix))
        {
            errors.Add("adapter.referencePrefix: multiple_choice_joint needs a prefix with a letter, e.g. \"A. \"");
        }

        return errors;
    }
}
