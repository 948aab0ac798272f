using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Pipeline;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Training;

/// <summary>
/// Layout (1,1,1): the whole single-device <see cref="Gpt"/> as one pipeline stage, so micro-batches are plain
/// gradient accumulation through the same executor every other layout uses.
/// </summary>
internal sealed class SingleDeviceRanks : ITrainingRanks
{
    private readonly Gpt _model;
    private readonly optim.Optimizer _optimizer;
    private readonly IPipelineStageModel _stage;
    private readonly IPipelineTransport _transport = new InProcessPipelineTransport(1).ForStage(0);

    public SingleDeviceRanks(TrainingOptions options, Device device)
    {
        _model = new Gpt(TrainingModel.Config(options), options.Seed, device);
        var replica = new GptReplica(_model);
        _optimizer = TrainingModel.Optimizer(replica.Parameters, options);
        _stage = new FlushingStageModel(replica, parameters => TrainingModel.Step(_optimizer, parameters));
    }

    public int WorldSize => 1;

    public int PipelineStageOf(int rank) => 0;

    public int DataParallelRankOf(int rank) => 0;

    public bool ReportsLoss(int rank) => true;

    public IPipelineStageModel ModelOf(int rank) => _stage;

    public IPipelineTransport TransportOf(int rank) => _transport;

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }

    private sealed class GptReplica(Gpt model) : IPipelineStageReplica
    {
        public IReadOnlyList<Parameter> Parameters { get; } = model.parameters().ToArray();

        public Tensor Forward(int chunk, Tensor input, Tensor? targets) =>
            model.Loss(input, targets ?? throw new ArgumentNullException(nameof(targets), "the single stage is the last stage and needs targets"));
    }
}
