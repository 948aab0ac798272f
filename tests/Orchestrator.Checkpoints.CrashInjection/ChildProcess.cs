using System.Diagnostics;

namespace Orchestrator.Checkpoints.CrashInjection;

/// <summary>Starts this assembly as a child process (<c>dotnet Orchestrator.Checkpoints.CrashInjection.dll MODE ...</c>).</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;

    public ChildProcess(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash-injection child process");
        var output = _process.StandardOutput.ReadToEndAsync();
        var errors = _process.StandardError.ReadToEndAsync();
        _output = Task.WhenAll(output, errors).ContinueWith(t => t.Result[0] + t.Result[1], TaskScheduler.Default);
    }

    /// <summary>Waits for the child (killing it after <paramref name="hangGuard"/> so a broken build fails instead of hanging).</summary>
    /// <returns>Its exit code (137 when it was killed by SIGKILL; -1 when the guard killed it) and everything it printed.</returns>
    public async Task<(int ExitCode, string Output)> WaitAsync(TimeSpan hangGuard, CancellationToken cancellationToken)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(hangGuard);
        try
        {
            await _process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
            return (-1, await _output);
        }

        return (_process.ExitCode, await _output);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
