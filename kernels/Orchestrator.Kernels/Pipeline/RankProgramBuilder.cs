namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// Builds one pipeline rank's program: each compute step is wrapped in the receive that feeds it and the send that
/// passes its result on, so schedules only decide the order of forwards and backwards.
/// </summary>
internal sealed class RankProgramBuilder(int stage, int stages, int virtualStages)
{
    private readonly List<PipelineOperation> _operations = [];

    private int LastVirtualStage => stages * virtualStages - 1;

    public void Forward(int microBatch, int chunk, int weightVersion = 0)
    {
        var virtualStage = chunk * stages + stage;
        if (virtualStage > 0)
            _operations.Add(new(PipelineOperationKind.ReceiveActivation, microBatch, chunk, (virtualStage - 1) % stages));
        _operations.Add(new(PipelineOperationKind.Forward, microBatch, chunk, WeightVersion: weightVersion));
        if (virtualStage < LastVirtualStage)
            _operations.Add(new(PipelineOperationKind.SendActivation, microBatch, chunk, (virtualStage + 1) % stages));
    }

    public void Backward(int microBatch, int chunk, int weightVersion = 0)
    {
        var virtualStage = chunk * stages + stage;
        if (virtualStage < LastVirtualStage)
            _operations.Add(new(PipelineOperationKind.ReceiveGradient, microBatch, chunk, (virtualStage + 1) % stages));
        _operations.Add(new(PipelineOperationKind.Backward, microBatch, chunk, WeightVersion: weightVersion));
        if (virtualStage > 0)
            _operations.Add(new(PipelineOperationKind.SendGradient, microBatch, chunk, (virtualStage - 1) % stages));
    }

    public void OptimizerStep(int createdVersion = 0) =>
        _operations.Add(new(PipelineOperationKind.OptimizerStep, -1, 0, WeightVersion: createdVersion));

    public void SwitchWeightVersion(int version) =>
        _operations.Add(new(PipelineOperationKind.WeightVersionSwitch, -1, 0, WeightVersion: version));

    public IReadOnlyList<PipelineOperation> Build() => _operations.ToArray();
}
