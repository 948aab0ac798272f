using Orchestrator.Kernels.Pipeline;

namespace Orchestrator.Kernels.Tests.Pipeline;

public sealed class PipelineScheduleGeneratorTests
{
    public static TheoryData<PipelineScheduleKind> FlushingKinds() =>
        [PipelineScheduleKind.GPipe, PipelineScheduleKind.OneForwardOneBackward, PipelineScheduleKind.Interleaved];

    /// <summary>Every valid (p, m, v) with p in 1..8, m in 1..32, v in {1, 2, 4} for the kind.</summary>
    private static IEnumerable<PipelineScheduleOptions> ValidShapes(PipelineScheduleKind kind, int batches = 1)
    {
        int[] chunkCounts = kind == PipelineScheduleKind.Interleaved ? [2, 4] : [1];
        for (var p = 1; p <= 8; p++)
        for (var m = 1; m <= 32; m++)
        foreach (var v in chunkCounts)
        {
            if (kind == PipelineScheduleKind.Interleaved && m % p != 0) continue;
            if (kind == PipelineScheduleKind.PipeDream2BW && m < p) continue;
            yield return new PipelineScheduleOptions(kind, p, m, v, batches);
        }
    }

    [Theory]
    [MemberData(nameof(FlushingKinds))]
    public void Flushing_schedules_run_without_deadlock_with_every_backward_after_its_forward(PipelineScheduleKind kind)
    {
        var checkedShapes = 0;
        foreach (var options in ValidShapes(kind))
        {
            // The simulator throws on deadlock, on a backward before its forward, on a missing or misrouted message
            // and on a step before the flush; reaching the end means all rules held.
            var simulation = PipelineScheduleSimulator.Simulate(PipelineScheduleGenerator.Generate(options));
            Assert.True(simulation.Makespan > 0, options.ToString());
            checkedShapes++;
        }

        Assert.True(checkedShapes >= 60, $"only {checkedShapes} shapes checked");
    }

    [Theory]
    [MemberData(nameof(FlushingKinds))]
    public void Unit_time_idle_fraction_equals_stages_minus_one_over_chunks_times_micro_batches(PipelineScheduleKind kind)
    {
        foreach (var options in ValidShapes(kind))
        {
            var simulation = PipelineScheduleSimulator.Simulate(PipelineScheduleGenerator.Generate(options));
            var theory = (options.Stages - 1) / (double)(options.VirtualStages * options.MicroBatches);
            Assert.True(Math.Abs(simulation.IdleFraction - theory) < 1e-12,
                $"{options}: idle fraction {simulation.IdleFraction}, theory {theory}");
        }
    }

    [Theory]
    [InlineData(PipelineScheduleKind.GPipe)]
    [InlineData(PipelineScheduleKind.OneForwardOneBackward)]
    public void Bubble_is_independent_of_backward_being_slower_than_forward(PipelineScheduleKind kind)
    {
        // GPipe and 1F1B give (p-1)/m for any forward/backward ratio, e.g. the usual backward = 2 x forward.
        foreach (var options in ValidShapes(kind))
        {
            var simulation = PipelineScheduleSimulator.Simulate(PipelineScheduleGenerator.Generate(options), forwardTime: 1, backwardTime: 2);
            Assert.Equal((options.Stages - 1) / (double)options.MicroBatches, simulation.IdleFraction, 12);
        }
    }

    [Fact]
    public void One_forward_one_backward_keeps_at_most_stages_micro_batches_in_flight_on_the_first_stage()
    {
        foreach (var options in ValidShapes(PipelineScheduleKind.OneForwardOneBackward))
        {
            var simulation = PipelineScheduleSimulator.Simulate(PipelineScheduleGenerator.Generate(options));
            Assert.Equal(Math.Min(options.Stages, options.MicroBatches), simulation.MaxInFlight[0]);
            // Later stages need even fewer: stage r holds p - r.
            for (var r = 0; r < options.Stages; r++)
                Assert.True(simulation.MaxInFlight[r] <= options.Stages - r, $"{options}: stage {r} holds {simulation.MaxInFlight[r]}");
        }
    }

    [Fact]
    public void GPipe_holds_every_micro_batch_in_flight_which_1f1b_avoids()
    {
        var gpipe = PipelineScheduleSimulator.Simulate(PipelineScheduleGenerator.Generate(new(PipelineScheduleKind.GPipe, 4, 16)));
        Assert.Equal(16, gpipe.MaxInFlight[0]);
    }

    [Fact]
    public void Interleaved_places_chunk_c_of_rank_r_at_virtual_stage_c_times_p_plus_r_and_sends_around_the_ring()
    {
        var schedule = PipelineScheduleGenerator.Generate(new(PipelineScheduleKind.Interleaved, 4, 8, 2));
        Assert.Equal(5, schedule.VirtualStageOf(1, 1));
        // The last rank's chunk 0 feeds the first rank's chunk 1.
        var send = schedule.For(3).First(o => o.Kind == PipelineOperationKind.SendActivation && o.Chunk == 0);
        Assert.Equal(0, send.PeerStage);
        Assert.Contains(schedule.For(0), o => o.Kind == PipelineOperationKind.ReceiveActivation && o.Chunk == 1 && o.PeerStage == 3);
    }
}
