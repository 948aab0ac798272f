using Orchestrator.Client;
using Orchestrator.Contracts.Evaluation;

namespace Orchestrator.Cli.Output;

/// <summary>Follows an evaluation run to its end as <see cref="JobFollower"/> follows a job: events as lines, then progress.</summary>
internal sealed class EvaluationFollower(TextWriter output, bool redraw)
{
    private static readonly TimeSpan FileProgressInterval = TimeSpan.FromSeconds(5);
    private DateTimeOffset _lastProgressLine = DateTimeOffset.MinValue;
    private bool _progressShown;

    public async Task<EvaluationRunView> FollowAsync(OrchestratorClient client, string runId, CancellationToken cancellationToken)
    {
        var printed = 0;
        EvaluationRunView? last = null;
        await foreach (var run in client.WatchEvaluationAsync(runId, cancellationToken))
        {
            last = run;
            foreach (var e in run.Events.Skip(printed))
            {
                EndProgressLine();
                output.WriteLine(JobText.Event(e));
            }

            printed = run.Events.Count;
            if (redraw)
            {
                output.Write("\r" + EvaluationText.ProgressLine(run) + "   ");
                _progressShown = true;
            }
            else if (DateTimeOffset.UtcNow - _lastProgressLine >= FileProgressInterval || run.IsTerminal)
            {
                output.WriteLine(EvaluationText.ProgressLine(run));
                _lastProgressLine = DateTimeOffset.UtcNow;
            }
        }

        EndProgressLine();
        return last ?? await client.GetEvaluationAsync(runId, cancellationToken);
    }

    private void EndProgressLine()
    {
        if (!_progressShown) return;
        output.WriteLine();
        _progressShown = false;
    }
}
