namespace Orchestrator.Contracts.Lineage;

/// <summary>How one node of the lineage graph was made from another.</summary>
public enum LineageEdgeKind
{
    /// <summary>Training continued from the parent on the same data source (further pre-training).</summary>
    TrainedFrom,

    /// <summary>Trained from the parent on another data source (a fine-tune).</summary>
    FineTunedFrom,

    /// <summary>The parent was restored under another parallel layout than it was saved in.</summary>
    Resharded,

    /// <summary>An evaluation run scored the model version.</summary>
    EvaluatedBy,
}
