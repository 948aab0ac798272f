using Orchestrator.Kernels.Pipeline;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Pipeline;

/// <summary>
/// A small model cut into virtual stages for executor tests: stage 0 embeds tokens, every stage applies
/// tanh(x·W + b), the last stage projects to the vocabulary and takes cross-entropy. The full weights are drawn once
/// from a seed, so any split gives the same model and the single-device reference is exact.
/// </summary>
internal sealed class ToyPipelineModel
{
    public const int Vocabulary = 16;
    public const int Hidden = 8;
    public const int Sequence = 5;

    public ToyPipelineModel(int virtualStages, long seed)
    {
        var generator = new Generator((ulong)seed);
        Tensor Draw(params long[] shape) => (randn(shape, generator: generator) * 0.5).detach();
        Embedding = Draw(Vocabulary, Hidden);
        Weights = Enumerable.Range(0, virtualStages).Select(_ => Draw(Hidden, Hidden)).ToArray();
        Biases = Enumerable.Range(0, virtualStages).Select(_ => Draw(Hidden)).ToArray();
        Head = Draw(Hidden, Vocabulary);
    }

    public Tensor Embedding { get; }
    public Tensor[] Weights { get; }
    public Tensor[] Biases { get; }
    public Tensor Head { get; }
    public int VirtualStages => Weights.Length;

    /// <summary>The parameters of virtual stage <paramref name="virtualStage"/> as fresh, trainable copies.</summary>
    public Parameter[] StageParameters(int virtualStage)
    {
        var tensors = new List<Tensor>();
        if (virtualStage == 0) tensors.Add(Embedding);
        tensors.Add(Weights[virtualStage]);
        tensors.Add(Biases[virtualStage]);
        if (virtualStage == VirtualStages - 1) tensors.Add(Head);
        return tensors.Select(t => new Parameter(t.clone(), requires_grad: true)).ToArray();
    }

    /// <summary>Runs virtual stage <paramref name="virtualStage"/> with <paramref name="parameters"/> from <see cref="StageParameters"/>.</summary>
    public Tensor RunStage(int virtualStage, IReadOnlyList<Parameter> parameters, Tensor input, Tensor? targets)
    {
        var next = 0;
        var x = virtualStage == 0
            ? parameters[next++].index_select(0, input.reshape(-1)).reshape(input.shape[0], input.shape[1], Hidden)
            : input;
        x = tanh(matmul(x, parameters[next]) + parameters[next + 1]);
        next += 2;
        if (virtualStage < VirtualStages - 1) return x;
        var logits = matmul(x, parameters[next]);
        return nn.functional.cross_entropy(logits.reshape(-1, Vocabulary), targets!.reshape(-1));
    }

    /// <summary>Deterministic token micro-batches.</summary>
    public static Batch MakeBatch(int microBatches, int microBatchSize, long seed)
    {
        var generator = new Generator((ulong)seed);
        var tokens = randint(Vocabulary, [microBatches, microBatchSize, Sequence + 1], generator: generator, dtype: int64);
        return new Batch(tokens);
    }

    /// <summary>One rank's chunks: chunk c is virtual stage c·p + rank.</summary>
    public sealed class Replica(ToyPipelineModel model, int stage, int stages) : IPipelineStageReplica
    {
        private readonly Parameter[][] _chunks = Enumerable.Range(0, model.VirtualStages / stages)
            .Select(c => model.StageParameters(c * stages + stage)).ToArray();

        public IReadOnlyList<Parameter> Parameters => _chunks.SelectMany(c => c).ToArray();

        public Parameter[] Chunk(int chunk) => _chunks[chunk];

        public Tensor Forward(int chunk, Tensor input, Tensor? targets) =>
            model.RunStage(chunk * stages + stage, _chunks[chunk], input, targets);
    }

    public sealed class Batch(Tensor tokens) : IPipelineBatch
    {
        public Tensor Tokens => tokens;
        public Tensor Inputs(int microBatch) => tokens[microBatch, .., ..^1];
        public Tensor Targets(int microBatch) => tokens[microBatch, .., 1..];
    }
}
