namespace Orchestrator.Kernels.Pipeline;

/// <summary>
/// Generates every pipeline rank's ordered program for a schedule. Sends never wait for their receiver (the transport
/// buffers them), so a program only has to respect data dependencies to be free of deadlock.
/// </summary>
public static class PipelineScheduleGenerator
{
    /// <summary>Generates the schedule <paramref name="options"/> describe.</summary>
    /// <exception cref="ArgumentException">The options are not runnable (see <see cref="PipelineScheduleOptions.Validate"/>).</exception>
    public static PipelineSchedule Generate(PipelineScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var ranks = new IReadOnlyList<PipelineOperation>[options.Stages];
        for (var stage = 0; stage < options.Stages; stage++)
        {
            var builder = new RankProgramBuilder(stage, options.Stages, options.VirtualStages);
            switch (options.Kind)
            {
                case PipelineScheduleKind.GPipe:
                    GPipe(builder, options.MicroBatches);
                    break;
                case PipelineScheduleKind.OneForwardOneBackward:
                    OneForwardOneBackward(builder, stage, options.Stages, options.MicroBatches);
                    break;
                case PipelineScheduleKind.Interleaved:
                    Interleaved(builder, stage, options.Stages, options.MicroBatches, options.VirtualStages);
                    break;
                case PipelineScheduleKind.PipeDream2BW:
                    PipeDream2BW(builder, stage, options.Stages, options.MicroBatches, options.Batches);
                    break;
            }

            ranks[stage] = builder.Build();
        }

        return new PipelineSchedule(options, ranks);
    }

    private static void GPipe(RankProgramBuilder builder, int microBatches)
    {
        for (var j = 0; j < microBatches; j++) builder.Forward(j, 0);
        for (var j = 0; j < microBatches; j++) builder.Backward(j, 0);
        builder.OptimizerStep();
    }

    /// <summary>
    /// PipeDream-Flush: stage r runs p-r-1 warm-up forwards, so it never holds more than p-r micro-batches' activations.
    /// </summary>
    private static void OneForwardOneBackward(RankProgramBuilder builder, int stage, int stages, int microBatches)
    {
        var warmup = Math.Min(stages - stage - 1, microBatches);
        for (var j = 0; j < warmup; j++) builder.Forward(j, 0);
        for (var j = 0; j < microBatches - warmup; j++)
        {
            builder.Forward(warmup + j, 0);
            builder.Backward(j, 0);
        }

        for (var j = microBatches - warmup; j < microBatches; j++) builder.Backward(j, 0);
        builder.OptimizerStep();
    }

    /// <summary>
    /// Megatron-LM's interleaved 1F1B. The rank walks m·v "virtual micro-batches": in groups of p micro-batches it runs
    /// chunk 0, then chunk 1, ... forward, and the chunks in reverse order backward. The warm-up is long enough that
    /// the first backward's gradient has arrived by the time it is needed.
    /// </summary>
    private static void Interleaved(RankProgramBuilder builder, int stage, int stages, int microBatches, int chunks)
    {
        var total = microBatches * chunks;
        var warmup = Math.Min(total, (stages - stage - 1) * 2 + (chunks - 1) * stages);
        var group = stages * chunks;

        // k-th virtual micro-batch -> (micro-batch, chunk); backward walks the chunks from the last.
        int MicroBatchOf(int k) => k / group * stages + k % stages;
        int ForwardChunkOf(int k) => k % group / stages;
        int BackwardChunkOf(int k) => chunks - 1 - ForwardChunkOf(k);

        for (var k = 0; k < warmup; k++) builder.Forward(MicroBatchOf(k), ForwardChunkOf(k));
        for (var k = 0; k < total - warmup; k++)
        {
            builder.Forward(MicroBatchOf(warmup + k), ForwardChunkOf(warmup + k));
            builder.Backward(MicroBatchOf(k), BackwardChunkOf(k));
        }

        for (var k = total - warmup; k < total; k++) builder.Backward(MicroBatchOf(k), BackwardChunkOf(k));
        builder.OptimizerStep();
    }

    /// <summary>
    /// PipeDream-2BW: one 1F1B pipeline over all batches' micro-batches with no flush in between. Batch t computes
    /// with weight version max(t-1, 0) on every stage; after its last backward a stage creates version t+1 from the
    /// newest one, overwriting version t-1 (no longer used), and before batch t+2's first forward makes it current.
    /// m ≥ p guarantees batch t has drained on a stage before batch t+2 starts there.
    /// </summary>
    private static void PipeDream2BW(RankProgramBuilder builder, int stage, int stages, int microBatches, int batches)
    {
        var total = microBatches * batches;
        var warmup = Math.Min(stages - stage - 1, total);
        int VersionOf(int j) => Math.Max(j / microBatches - 1, 0);

        void Forward(int j)
        {
            var batch = j / microBatches;
            if (j % microBatches == 0 && batch >= 2) builder.SwitchWeightVersion(batch - 1);
            builder.Forward(j, 0, VersionOf(j));
        }

        void Backward(int j)
        {
            builder.Backward(j, 0, VersionOf(j));
            if (j % microBatches == microBatches - 1) builder.OptimizerStep(j / microBatches + 1);
        }

        for (var j = 0; j < warmup; j++) Forward(j);
        for (var j = 0; j < total - warmup; j++)
        {
            Forward(warmup + j);
            Backward(j);
        }

        for (var j = total - warmup; j < total; j++) Backward(j);
    }
}
