using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Client.Tests.Specs;

/// <summary>The text form of <c>checkpoint.every</c>, read by <see cref="CheckpointSpec.ParseEvery"/>.</summary>
public sealed class CheckpointEveryTests
{
    [Theory]
    [InlineData("auto", null, null)]
    [InlineData("500", 500, null)]
    [InlineData("500 steps", 500, null)]
    [InlineData("1steps", 1, null)]
    [InlineData("90s", null, 90.0)]
    [InlineData("30m", null, 1800.0)]
    [InlineData("1.5h", null, 5400.0)]
    public void Spec_values_parse(string text, int? steps, double? seconds)
    {
        var (parsedSteps, parsedSeconds) = CheckpointSpec.ParseEvery(text);

        Assert.Equal(steps, parsedSteps);
        Assert.Equal(seconds, parsedSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("2.5")]
    [InlineData("10 parsecs")]
    [InlineData("sometimes")]
    public void Unparseable_spec_values_are_refused_listing_the_accepted_forms(string text)
    {
        var error = Assert.Throws<FormatException>(() => CheckpointSpec.ParseEvery(text));

        Assert.Contains("use 'auto'", error.Message);
    }
}
