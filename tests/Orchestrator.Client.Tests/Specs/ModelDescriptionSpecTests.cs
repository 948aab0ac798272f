using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client.Tests.Specs;

/// <summary>The optional fields that describe how a model is built and trained today (all absent in older documents).</summary>
public sealed class ModelDescriptionSpecTests
{
    private const string Modern = """
        apiVersion: orchestrator/v1
        kind: TrainingJob
        metadata: { name: llama-8b }
        spec:
          model: { layers: 32, hidden: 4096, heads: 32, sequenceLength: 8192, vocabulary: 128256,
                   attention: { queryGroups: 8, flash: true }, activation: swiglu, untiedEmbeddings: true, precision: fp8 }
          training: { globalBatch: 128, steps: 10, overlap: { gradReduce: true, paramGather: false, tensor: true },
                      distributedOptimizer: true, mainGradients: fp32 }
          parallelism: { tensor: 1, pipeline: 1, data: 4, context: 2 }
          resources: { gpus: 8, gpuType: h100-80gb }
        """;

    [Fact]
    public void Reads_attention_activation_embeddings_precision_overlap_and_context()
    {
        var spec = JobSpecLoader.Parse(Modern);
        Assert.Equal(new AttentionSpec(8, true), spec.Model.Attention);
        Assert.Equal(("swiglu", true, "fp8"), (spec.Model.Activation, spec.Model.UntiedEmbeddings, spec.Model.Precision));
        Assert.Equal(new OverlapSpec(true, false, true), spec.Training.Overlap);
        Assert.Equal((true, "fp32"), (spec.Training.DistributedOptimizer, spec.Training.MainGradients));
        Assert.Equal((2, 8), (spec.Parallelism.Context, spec.Parallelism.WorldSize));
    }

    [Fact]
    public void Swiglu_implies_two_thirds_of_the_gelu_ffn_rounded_to_256()
    {
        Assert.Equal(11008, new ModelSpec("gpt", 32, 4096, 32, 4096, 32000, Activation: "swiglu").FfnSize);
        Assert.Equal(16384, new ModelSpec("gpt", 32, 4096, 32, 4096, 32000).FfnSize);
        Assert.Equal(14336, new ModelSpec("gpt", 32, 4096, 32, 4096, 32000, Ffn: 14336, Activation: "swiglu").FfnSize);
    }

    [Fact]
    public void Absent_fields_keep_older_documents_meaning_what_they_meant()
    {
        var spec = JobSpecLoader.Parse(Modern
            .Replace("attention: { queryGroups: 8, flash: true }, activation: swiglu, untiedEmbeddings: true, precision: fp8", "ffn: 16384")
            .Replace(", overlap: { gradReduce: true, paramGather: false, tensor: true },\n              distributedOptimizer: true, mainGradients: fp32", "")
            .Replace(", context: 2", "").Replace("data: 4", "data: 8"));
        Assert.Null(spec.Model.Attention);
        Assert.Null(spec.Model.Activation);
        Assert.False(spec.Model.UntiedEmbeddings);
        Assert.Null(spec.Training.Overlap);
        Assert.Equal(1, spec.Parallelism.Context);
    }

    [Theory]
    [InlineData("activation: swiglu", "activation: relu", "spec.model.activation", "allowed: gelu, swiglu")]
    [InlineData("precision: fp8", "precision: fp4", "spec.model.precision", "allowed: bf16, fp16, fp8")]
    [InlineData("queryGroups: 8", "queryGroups: 5", "spec.model.attention.queryGroups", "divisor of the 32 heads")]
    [InlineData("mainGradients: fp32", "mainGradients: fp64", "spec.training.mainGradients", "allowed: fp32, half")]
    [InlineData("sequenceLength: 8192", "sequenceLength: 262144", "spec.model.sequenceLength", "at most 131072")]
    [InlineData("flash: true", "flash: false", "spec.parallelism.context", "needs model.attention.flash")]
    [InlineData("context: 2", "context: 3", "spec.parallelism", "tensor x context x pipeline x data")]
    [InlineData("flash: true", "flash: maybe", "spec.model.attention.flash", "true or false")]
    [InlineData("tensor: true }", "tensorr: true }", "spec.training.overlap.tensorr", "unknown field")]
    public void Bad_values_are_refused_naming_the_field_and_what_is_allowed(string from, string to, string path, string message)
    {
        Assert.Contains(from, Modern);
        var e = Assert.Throws<JobSpecException>(() => JobSpecLoader.Parse(Modern.Replace(from, to)));
        Assert.Contains(e.Errors, error => error.Path == path && error.Message.Contains(message, StringComparison.Ordinal));
    }
}
