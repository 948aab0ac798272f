namespace Orchestrator.Kernels.Pipeline;

/// <summary>What one step of a pipeline rank's program does.</summary>
public enum PipelineOperationKind
{
    /// <summary>Receive a micro-batch's input activation for a model chunk from the previous virtual stage.</summary>
    ReceiveActivation,

    /// <summary>Run a model chunk forward on a micro-batch.</summary>
    Forward,

    /// <summary>Send a chunk's output activation to the next virtual stage.</summary>
    SendActivation,

    /// <summary>Receive the gradient of a chunk's output from the next virtual stage.</summary>
    ReceiveGradient,

    /// <summary>Run a model chunk backward on a micro-batch (accumulating weight gradients).</summary>
    Backward,

    /// <summary>Send the gradient of a chunk's input to the previous virtual stage.</summary>
    SendGradient,

    /// <summary>Apply the gradients accumulated over a batch; for PipeDream-2BW this creates a new weight version.</summary>
    OptimizerStep,

    /// <summary>PipeDream-2BW only: forwards from here on use the newest weight version.</summary>
    WeightVersionSwitch,
}
