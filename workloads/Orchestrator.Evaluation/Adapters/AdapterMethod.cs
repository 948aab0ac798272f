namespace Orchestrator.Evaluation.Adapters;

/// <summary>HELM's adaptation methods (adaptation/adapters/adapter_factory.py).</summary>
public enum AdapterMethod
{
    /// <summary><c>generation</c>: one request per instance; the completion is compared with the references.</summary>
    Generation,

    /// <summary><c>multiple_choice_joint</c>: all references lettered in one prompt; the model answers a letter.</summary>
    MultipleChoiceJoint,

    /// <summary><c>multiple_choice_separate_original</c>: one echoed request per reference, scored by log-prob per token.</summary>
    MultipleChoiceSeparateOriginal,

    /// <summary><c>multiple_choice_separate_calibrated</c>: as original plus a calibration request per reference.</summary>
    MultipleChoiceSeparateCalibrated,

    /// <summary><c>language_modeling</c>: the input windowed into echoed, zero-token requests.</summary>
    LanguageModeling,
}
