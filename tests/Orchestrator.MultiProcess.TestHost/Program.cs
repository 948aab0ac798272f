using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Communication.Gloo;
using Orchestrator.MultiProcess.TestHost;

// Orchestrator.MultiProcess.TestHost MODE ... : one process of a multi-process test (see the modes below). Exit codes:
// 0 done, 3 a collective failed across processes (message on stderr), 2 bad arguments.
try
{
    return args switch
    {
        // collectives SEED STORE PROCESS PLACEMENT(0,0,1,1) TENSOR OUT: the CollectiveScript, results to OUT.
        ["collectives", var seed, var store, var process, var placement, var tensorSize, var output] =>
            Collectives(int.Parse(seed), store, int.Parse(process), Placement(placement), int.Parse(tensorSize), output),

        // train SCENARIO STORE PROCESS PLACEMENT OUT: this process's share of a TrainingScenarios run, lines to OUT.
        ["train", var scenario, var store, var process, var placement, var output] =>
            Train(scenario, store, int.Parse(process), Placement(placement), output),

        // save SCENARIO STORE PROCESS PLACEMENT CHECKPOINTS STEPS EVERY open|refuse OUT: as train, checkpointing into
        // CHECKPOINTS every EVERY steps and the last, the commit fence open or refusing.
        ["save", var scenario, var store, var process, var placement, var checkpoints, var steps, var every, var fence, var output] => Write(output, TrainingScenarios.SaveAsync(
            scenario, new Orchestrator.Workloads.Training.ProcessPlacement(Placement(placement), int.Parse(process), Rendezvous(store, TimeSpan.FromMinutes(2))),
            checkpoints, int.Parse(steps), int.Parse(every), fence == "refuse").GetAwaiter().GetResult()),

        // train-until-a-peer-stops SCENARIO STORE PROCESS PLACEMENT MARKER kill|cancel OUT: see
        // TrainingScenarios.TrainUntilAPeerStopsAsync; a process whose collectives fail exits 3.
        ["train-until-a-peer-stops", var scenario, var store, var process, var placement, var marker, var how, var output] => Write(output, TrainingScenarios.TrainUntilAPeerStopsAsync(
            scenario, new Orchestrator.Workloads.Training.ProcessPlacement(Placement(placement), int.Parse(process), Rendezvous(store, TimeSpan.FromMinutes(5))), marker, how == "kill")
            .GetAwaiter().GetResult()),

        // allreduce STORE PROCESS PROCESSES BYTES ITERATIONS native|managed OUT: CommunicationProbe timings to OUT.
        ["allreduce", var store, var process, var processes, var bytes, var iterations, var mode, var output] =>
            Write(output, CommunicationProbe.Run(Rendezvous(store, TimeSpan.FromMinutes(2)), int.Parse(process), int.Parse(processes), long.Parse(bytes), int.Parse(iterations), mode == "native")),

        // tokens STORE PROCESS OUT: the d2 throughput job as this process's half; tokens/s to OUT (process 0 only).
        ["tokens", var store, var process, var output] => Write(output, TrainingScenarios.Throughput(
            new Orchestrator.Workloads.Training.ProcessPlacement([0, 1], int.Parse(process), Rendezvous(store, TimeSpan.FromMinutes(2))))),

        // send-and-leave STORE PROCESS MESSAGES OUT: two processes of one rank each; rank 0 posts MESSAGES sends to rank 1
        // and leaves at once (its world disposed while they are still queued); rank 1 writes what it receives to OUT.
        ["send-and-leave", var store, var process, var messages, var output] => SendAndLeave(store, int.Parse(process), int.Parse(messages), output),

        // die STORE PROCESS PLACEMENT DIE_AT: all-reduces in a loop; process 1 kills itself before all-reduce DIE_AT.
        ["die", var store, var process, var placement, var dieAt] => Die(store, int.Parse(process), Placement(placement), int.Parse(dieAt)),
        // store-churn ROOT ATTEMPT: saves and collects checkpoints in ROOT until killed (the chaos suite's crash points).
        ["store-churn", var root, var attempt] => StoreChurn.RunAsync(root, int.Parse(attempt)).GetAwaiter().GetResult(),
        _ => Usage(),
    };
}
catch (Exception e) when (CollectiveFailedException.FindIn(e) is { } failed)
{
    // Also when the failure arrives as the cause of a woken rank's cancellation (see CollectiveFailedException.FindIn).
    Console.Error.WriteLine($"collective failed: {failed.Message}");
    return 3;
}

static int Collectives(int seed, string store, int process, int[] placement, int tensorSize, string output)
{
    var grid = new ParallelGrid(TensorParallelSize: tensorSize, DataParallelSize: placement.Length / tensorSize);
    using var world = new NetworkWorld(grid, placement, process, Rendezvous(store, TimeSpan.FromMinutes(2)));
    File.WriteAllLines(output, CollectiveScript.Run(world, seed));
    return 0;
}

static int SendAndLeave(string store, int process, int messages, string output)
{
    var received = new List<string>();
    using (var world = new NetworkWorld(new ParallelGrid(DataParallelSize: 2), [0, 1], process, Rendezvous(store, TimeSpan.FromMinutes(2))))
    {
        world.Run(groups =>
        {
            for (var i = 0; i < messages; i++)
            {
                if (process == 0)
                {
                    using var message = TorchSharp.torch.full(256, i);
                    groups.World.Send(message, destination: 1);
                }
                else
                {
                    using var message = groups.World.Receive(source: 0);
                    received.Add($"{message.shape[0]} {message.min().item<long>()} {message.max().item<long>()}");
                }
            }

            return true;
        });
    }

    File.WriteAllLines(output, received);
    return 0;
}

static int Die(string store, int process, int[] placement, int dieAt)
{
    var grid = new ParallelGrid(DataParallelSize: placement.Length);
    // A long timeout: the survivor must learn of the death from the closed connection, not from the timeout.
    using var world = new NetworkWorld(grid, placement, process, Rendezvous(store, TimeSpan.FromMinutes(5)));
    world.Run<bool>(groups =>
    {
        using var buffer = TorchSharp.torch.ones(1 << 16);
        for (var i = 0; ; i++)
        {
            if (process == 1 && i == dieAt) Environment.Exit(137);
            groups.World.AllReduce(buffer);
        }
    });
    return 0;
}

static int Train(string scenario, string store, int process, int[] placement, string output)
{
    var lines = TrainingScenarios.RunAsync(scenario, new Orchestrator.Workloads.Training.ProcessPlacement(placement, process, Rendezvous(store, TimeSpan.FromMinutes(2))))
        .GetAwaiter().GetResult();
    File.WriteAllLines(output, lines);
    return 0;
}

static int Write(string output, IReadOnlyList<string> lines)
{
    File.WriteAllLines(output, lines);
    return 0;
}

static GlooRendezvous Rendezvous(string store, TimeSpan timeout) => GlooRendezvous.ForAttempt(store, "test", 1, "127.0.0.1", timeout);

static int[] Placement(string text) => text.Split(',').Select(int.Parse).ToArray();

static int Usage()
{
    Console.Error.WriteLine("usage: Orchestrator.MultiProcess.TestHost collectives SEED STORE PROCESS PLACEMENT TENSOR OUT | die STORE PROCESS PLACEMENT DIE_AT");
    return 2;
}
