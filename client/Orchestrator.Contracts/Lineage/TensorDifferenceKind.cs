namespace Orchestrator.Contracts.Lineage;

/// <summary>How a tensor of one model version compares with the same-named tensor of another.</summary>
public enum TensorDifferenceKind
{
    /// <summary>Equal element for element.</summary>
    Same,

    /// <summary>Same shape and type, some elements differ.</summary>
    Changed,

    /// <summary>Only the first version has it.</summary>
    OnlyInFirst,

    /// <summary>Only the second version has it.</summary>
    OnlyInSecond,

    /// <summary>Both have it, with another shape or element type: not compared element-wise.</summary>
    Reshaped,
}
