using Orchestrator.Contracts.Workers;
using Orchestrator.Worker;

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
