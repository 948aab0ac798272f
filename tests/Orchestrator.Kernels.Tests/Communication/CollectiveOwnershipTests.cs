using System.Runtime.CompilerServices;
using Orchestrator.Kernels.Communication;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Communication;

/// <summary>
/// What one rank's thread keeps of another rank's contribution to an in-process collective must not hold that rank's
/// autograd graph: its last reference would then free the graph on the reader's thread, where TorchSharp's clean-up of
/// a custom function's node disposes tensors the owner's dispose scope still holds (a race that corrupted the C heap
/// in multi-rank training in one process).
/// </summary>
public sealed class CollectiveOwnershipTests
{
    [Fact]
    public void After_an_all_gather_no_other_rank_keeps_the_contributors_autograd_graph_alive()
    {
        var world = new InProcessWorld(new ParallelGrid(DataParallelSize: 2));
        var stillHeld = world.Run(g =>
        {
            // Whatever the collective left on this thread stays here until every rank has looked, as in a pipeline
            // run's dispose scope, which lasts the whole schedule.
            using var scope = NewDisposeScope();
            var savedMemory = GatherAProductAndDropIt(g.Data);
            g.Data.Barrier();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var held = savedMemory.IsAlive;
            g.Data.Barrier();
            return held;
        });

        Assert.All(stillHeld, held => Assert.False(held, "another rank's leftovers of the all-gather still hold the contributor's graph (and the tensor it saved for backward)"));
    }

    /// <summary>
    /// Gathers <c>weight · saved</c>, whose graph keeps <c>saved</c> for the backward, and disposes everything this rank
    /// made. <c>saved</c>'s storage is a pinned managed array, released when the storage is freed: the returned weak
    /// reference tells whether anything still holds the graph.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference GatherAProductAndDropIt(ICommunicator group)
    {
        var memory = Enumerable.Repeat(1f, 256).ToArray();
        var weak = new WeakReference(memory);
        using var saved = from_array(memory);
        using var weight = ones(256, requires_grad: true);
        using var product = weight * saved;
        using var gathered = group.AllGather(product, dimension: 0);
        Assert.Equal(512, gathered.shape[0]);
        return weak;
    }
}
