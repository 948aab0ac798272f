namespace Orchestrator.Contracts.Lineage;

/// <summary>What a step of an update cascade re-runs.</summary>
public enum CascadeStepKind
{
    /// <summary>The training job that derived a descendant (a fine-tune), started from the new parent version.</summary>
    Derive,

    /// <summary>An evaluation of a re-derived version.</summary>
    Evaluate,
}
