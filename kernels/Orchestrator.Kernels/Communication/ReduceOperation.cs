namespace Orchestrator.Kernels.Communication;

/// <summary>How contributions of a group's ranks are combined.</summary>
public enum ReduceOperation
{
    /// <summary>Element-wise sum.</summary>
    Sum,

    /// <summary>Element-wise sum divided by the group size.</summary>
    Average,

    /// <summary>Element-wise maximum.</summary>
    Max,
}
