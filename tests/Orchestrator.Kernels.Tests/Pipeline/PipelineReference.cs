using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Pipeline;

/// <summary>The single-device reference: every virtual stage in order on one thread, micro-batch by micro-batch.</summary>
internal sealed class PipelineReference
{
    private readonly ToyPipelineModel _model;

    public PipelineReference(ToyPipelineModel model)
    {
        _model = model;
        Stages = Enumerable.Range(0, model.VirtualStages).Select(model.StageParameters).ToArray();
    }

    /// <summary>Parameters per virtual stage.</summary>
    public Parameter[][] Stages { get; }

    public IEnumerable<Parameter> All => Stages.SelectMany(s => s);

    /// <summary>Accumulates the gradient of the mean micro-batch loss; returns each micro-batch's loss.</summary>
    public double[] Backward(Orchestrator.Kernels.Pipeline.IPipelineBatch batch, int microBatches)
    {
        var losses = new double[microBatches];
        for (var j = 0; j < microBatches; j++)
        {
            var x = batch.Inputs(j);
            for (var s = 0; s < Stages.Length; s++)
                x = _model.RunStage(s, Stages[s], x, s == Stages.Length - 1 ? batch.Targets(j) : null);
            losses[j] = x.item<float>();
            (x / microBatches).backward();
        }

        return losses;
    }

    /// <summary>Loads a snapshot (as from <see cref="Snapshot"/>) into the parameters.</summary>
    public void Load(IReadOnlyList<Tensor> snapshot)
    {
        using var _ = no_grad();
        var i = 0;
        foreach (var parameter in All) parameter.copy_(snapshot[i++]);
    }

    public Tensor[] Snapshot() => All.Select(p => p.detach().clone()).ToArray();
}
