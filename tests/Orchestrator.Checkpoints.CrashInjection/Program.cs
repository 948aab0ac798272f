using System.Globalization;
using Orchestrator.Checkpoints.CrashInjection;

// The child process of the checkpoint store's crash and lock tests. Exit codes: 0 done, 1 a chunk was lost, 2 bad
// arguments, 3 a crash point beyond the script; a crash child normally ends by SIGKILL (137).
return args switch
{
    // crash ROOT SEED POINT: runs the CrashScript into ROOT and SIGKILLs itself before its POINT-th change to the store.
    ["crash", var root, var seed, var point] =>
        await StoreCrashInjection.RunChildAsync(root, int.Parse(seed, CultureInfo.InvariantCulture), long.Parse(point, CultureInfo.InvariantCulture)),

    // contend-save ROOT SAVES: commits SAVES checkpoints, verifying each (see StoreLockContention).
    ["contend-save", var root, var saves] => await StoreLockContention.SaveAsync(root, int.Parse(saves, CultureInfo.InvariantCulture)),

    // contend-collect ROOT STOP: collects garbage until the file STOP exists.
    ["contend-collect", var root, var stop] => await StoreLockContention.CollectAsync(root, stop),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Orchestrator.Checkpoints.CrashInjection crash ROOT SEED POINT | contend-save ROOT SAVES | contend-collect ROOT STOP");
    return 2;
}
