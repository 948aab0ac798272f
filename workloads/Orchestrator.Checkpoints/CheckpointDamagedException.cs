namespace Orchestrator.Checkpoints;

/// <summary>A checkpoint cannot be used: its manifest is torn or fails its checksum, or a chunk is missing or corrupt.</summary>
public sealed class CheckpointDamagedException : IOException
{
    /// <summary>Creates the exception naming the checkpoint (or manifest file) and what is wrong with it.</summary>
    public CheckpointDamagedException(string checkpoint, string problem, Exception? inner = null)
        : base($"checkpoint {checkpoint} is damaged: {problem}", inner)
    {
        Checkpoint = checkpoint;
        Problem = problem;
    }

    /// <summary>The checkpoint id or manifest path.</summary>
    public string Checkpoint { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
