using Orchestrator.Kernels.Native;
using Orchestrator.Workloads.Data;
using static TorchSharp.torch;

namespace Orchestrator.Workloads.Tests.Data;

public sealed class TokenBatchTests
{
    public TokenBatchTests() => TorchRuntime.EnsureLoaded();

    /// <summary>All samples of a step's global batch, in order, as one replica/micro-batch split yields them.</summary>
    private static long[] GlobalBatch(int dataParallel, int microBatchSize, int globalBatch)
    {
        var source = new SyntheticTokenSource(128, seed: 4);
        var microBatches = globalBatch / (microBatchSize * dataParallel);
        var all = new List<long>();
        for (var d = 0; d < dataParallel; d++)
        {
            using var batch = new TokenBatch(source, 7, d, microBatches, microBatchSize, 8, CPU);
            for (var j = 0; j < microBatches; j++)
            {
                Assert.Equal(new long[] { microBatchSize, 8 }, batch.Inputs(j).shape);
                all.AddRange(cat([batch.Inputs(j), batch.Targets(j)[.., ^1..]], 1).data<long>().ToArray());
            }
        }

        return all.ToArray();
    }

    [Fact]
    public void Every_split_into_replicas_and_micro_batches_sees_the_same_global_batch()
    {
        var reference = GlobalBatch(1, 8, 8);
        Assert.Equal(reference, GlobalBatch(2, 2, 8));
        Assert.Equal(reference, GlobalBatch(4, 1, 8));
    }

    [Fact]
    public void Targets_are_the_inputs_shifted_by_one_token()
    {
        using var batch = new TokenBatch(new SyntheticTokenSource(128, seed: 4), 0, 0, 1, 2, 8, CPU);
        Assert.Equal(batch.Inputs(0)[.., 1..].data<long>().ToArray(), batch.Targets(0)[.., ..^1].data<long>().ToArray());
    }
}
