using Orchestrator.Workloads.Data;
using Orchestrator.Workloads.Training;
using Xunit.Abstractions;

namespace Orchestrator.Workloads.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class TrainingLoopTests(ITestOutputHelper output)
{
    /// <summary>Small enough to train in seconds on a shared 2-core machine, big enough to learn the chain.</summary>
    private static readonly TrainingOptions Small = new(Layers: 2, Hidden: 32, Heads: 2, SequenceLength: 16, GlobalBatch: 8, MicroBatch: 4, LearningRate: 1e-2);

    [Fact]
    public async Task Loss_on_the_synthetic_source_falls_clearly_within_sixty_steps_on_one_rank()
    {
        var observer = new RecordingObserver();
        var result = await TrainingLoop.RunAsync(Small with { Steps = 60 }, observer, CancellationToken.None);
        output.WriteLine(string.Join(" ", result.Losses.Select(l => l.ToString("F2"))));
        output.WriteLine($"{result.Seconds:F1} s");

        Assert.False(result.Cancelled);
        Assert.Equal(60, result.StepsCompleted);
        Assert.InRange(result.FirstLoss, Math.Log(256) - 0.5, Math.Log(256) + 0.5);
        var lastTen = result.Losses.TakeLast(10).Average();
        Assert.True(lastTen < result.FirstLoss - 1.5, $"loss went from {result.FirstLoss:F3} to {lastTen:F3}");
        Assert.True(lastTen > SyntheticTokenSource.EntropyNats - 0.1, $"loss {lastTen:F3} is below the data's entropy, which is impossible");
    }

    [Fact]
    public async Task Every_step_is_reported_in_order_with_its_tokens_and_rate()
    {
        var observer = new RecordingObserver();
        var options = Small with { Steps = 5, StartStep = 2 };
        var result = await TrainingLoop.RunAsync(options, observer, CancellationToken.None);

        Assert.Equal([2L, 3L, 4L], observer.Steps.Select(s => s.Step));
        Assert.All(observer.Steps, s =>
        {
            Assert.Equal(8 * 16, s.Tokens);
            Assert.True(s.StepSeconds > 0 && s.TokensPerSecond > 0 && double.IsFinite(s.Loss));
        });
        Assert.Equal(3 * 8 * 16, result.Tokens);
        Assert.Equal(observer.Steps.Select(s => s.Loss), result.Losses);
    }

    [Fact]
    public async Task Cancellation_stops_the_run_between_steps()
    {
        using var cancellation = new CancellationTokenSource();
        var observer = new RecordingObserver(cancellation, afterSteps: 3);
        var result = await TrainingLoop.RunAsync(Small with { Steps = 50 }, observer, cancellation.Token);

        Assert.True(result.Cancelled);
        Assert.Equal(3, result.StepsCompleted);
        Assert.Equal(3, observer.Steps.Count);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_losses()
    {
        var options = Small with { Steps = 3 };
        var first = await TrainingLoop.RunAsync(options, new RecordingObserver(), CancellationToken.None);
        var second = await TrainingLoop.RunAsync(options, new RecordingObserver(), CancellationToken.None);
        Assert.Equal(first.Losses, second.Losses);
    }

    [Fact]
    public async Task Invalid_options_are_refused_before_training_starts()
    {
        var observer = new RecordingObserver();
        await Assert.ThrowsAsync<ArgumentException>(() => TrainingLoop.RunAsync(new TrainingOptions(Heads: 3), observer, CancellationToken.None));
        Assert.Empty(observer.Steps);
    }
}
