using System.Globalization;
using Orchestrator.Client;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Cli.Output;

/// <summary>
/// Follows a job to its end: prints each event as a line and a progress line (step, loss, tokens/s, ETA) that
/// redraws in place on a terminal and is printed at most every few seconds when the output is a file.
/// </summary>
internal sealed class JobFollower(TextWriter output, bool redraw)
{
    private static readonly TimeSpan FileProgressInterval = TimeSpan.FromSeconds(5);
    private DateTimeOffset _lastProgressLine = DateTimeOffset.MinValue;
    private bool _progressShown;

    public async Task<JobState> FollowAsync(OrchestratorClient client, string jobId, CancellationToken cancellationToken)
    {
        var state = JobState.Pending;
        JobProgress? last = null;
        await foreach (var update in client.WatchAsync(jobId, cancellationToken))
        {
            state = update.State;
            if (update.Event is { } e)
            {
                EndProgressLine();
                output.WriteLine(JobText.Event(e));
            }
            else if (update.Progress is { } p)
            {
                last = p;
                ShowProgress(p);
            }
        }

        if (last is not null && !redraw) output.WriteLine(ProgressLine(last));
        EndProgressLine();
        return state;
    }

    public static string ProgressLine(JobProgress p)
    {
        const int width = 24;
        var filled = p.TotalSteps == 0 ? 0 : (int)(width * p.Step / p.TotalSteps);
        var eta = p.Eta;
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', width - filled)}] step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4} (from {p.FirstLoss:F4})  {p.TokensPerSecond:F0} tokens/s  ETA {(int)eta.TotalMinutes}:{eta.Seconds:00}");
    }

    private void ShowProgress(JobProgress p)
    {
        if (redraw)
        {
            output.Write("\r" + ProgressLine(p) + "   ");
            _progressShown = true;
        }
        else if (DateTimeOffset.UtcNow - _lastProgressLine >= FileProgressInterval)
        {
            output.WriteLine(ProgressLine(p));
            _lastProgressLine = DateTimeOffset.UtcNow;
        }
    }

    private void EndProgressLine()
    {
        if (!_progressShown) return;
        output.WriteLine();
        _progressShown = false;
    }
}
