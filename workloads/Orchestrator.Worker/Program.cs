using Orchestrator.Contracts.Workers;
using Orchestrator.Worker;

// orchestrator-worker --prepare-native: makes TorchSharp's native libraries loadable on this host and exits; the worker
// image runs it at build time so a container never patches or compiles anything when it starts.
if (args is ["--prepare-native"])
{
    Console.WriteLine(Orchestrator.Kernels.Native.TorchRuntime.EnsureLoaded());
    return 0;
}

// orchestrator-worker --assignment FILE | --assignment-env NAME: hosts the ranks of one node for one attempt (see
// WorkerRun), or evaluates one evaluation shard (EvaluationShardRun). A Kubernetes pod gets its assignment in an environment variable (no file to mount).
if (args.Length != 2 || args[0] is not ("--assignment" or "--assignment-env"))
{
    Console.Error.WriteLine("usage: Orchestrator.Worker --assignment FILE | --assignment-env NAME");
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

var assignment = args[0] == "--assignment"
    ? await WorkerAssignmentFile.ReadAsync(args[1], shutdown.Token)
    : WorkerAssignmentFile.Parse(Environment.GetEnvironmentVariable(args[1]) ?? "", args[1]);
var exitCode = assignment.Evaluation is { } evaluation
    ? await EvaluationShardRun.RunAsync(assignment, evaluation, Console.Out, shutdown.Token)
    : await WorkerRun.RunAsync(assignment, Console.Out, shutdown.Token);
if (args[0] == "--assignment") WorkerExitFile.Write(args[1], exitCode);
return exitCode;
