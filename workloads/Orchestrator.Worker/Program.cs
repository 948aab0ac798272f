using Orchestrator.Contracts.Workers;
using Orchestrator.Worker;

// orchestrator-worker --prepare-native: makes TorchSharp's native libraries loadable on this host and exits; the worker
// image runs it at build time so a container never patches or compiles anything when it starts.
if (args is ["--prepare-native"])
{
    Console.WriteLine(Orchestrator.Kernels.Native.TorchRuntime.EnsureLoaded());
    return 0;
}

// orchestrator-worker --assignment FILE: hosts the ranks of one node for one attempt (see WorkerRun).
if (args.Length != 2 || args[0] != "--assignment")
{
    Console.Error.WriteLine("usage: Orchestrator.Worker --assignment FILE");
    return WorkerExitCodes.SpecError;
}

// Not disposed: the process-exit handler may fire after Main returns.
var shutdown = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    shutdown.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => shutdown.Cancel();

var assignment = await WorkerAssignmentFile.ReadAsync(args[1], shutdown.Token);
return await WorkerRun.RunAsync(assignment, Console.Out, shutdown.Token);
