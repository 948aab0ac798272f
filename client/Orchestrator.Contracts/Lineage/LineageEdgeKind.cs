namespace Orchestrator.Contracts.Lineage;

/// <summary>How one node of the lineage graph was made from another.</summary>
public enum LineageEdgeKind
{
    /// <summary>A new version of the same model: its training continued from the parent.</summary>
    TrainedFrom,

    /// <summary>A model of another name trained from the parent's weights (a fine-tune).</summary>
    FineTunedFrom,

    /// <summary>The parent was restored under another parallel layout than it was saved in.</summary>
    Resharded,

    /// <summary>An evaluation run scored the model version.</summary>
    EvaluatedBy,
}
