using Orchestrator.Workloads.Data;

namespace Orchestrator.Workloads.Tests.Data;

public sealed class SyntheticTokenSourceTests
{
    private static long[] Sample(SyntheticTokenSource source, long step, int index)
    {
        var tokens = new long[33];
        source.Fill(step, index, tokens);
        return tokens;
    }

    [Fact]
    public void The_same_step_and_index_give_the_same_tokens_in_a_fresh_source_so_runs_resume_exactly()
    {
        var first = new SyntheticTokenSource(256, seed: 9);
        var resumed = new SyntheticTokenSource(256, seed: 9);
        Assert.Equal(Sample(first, 40, 3), Sample(resumed, 40, 3));
        Assert.NotEqual(Sample(first, 40, 3), Sample(first, 41, 3));
        Assert.NotEqual(Sample(first, 40, 3), Sample(first, 40, 4));
        Assert.NotEqual(Sample(first, 40, 3), Sample(new SyntheticTokenSource(256, seed: 10), 40, 3));
    }

    [Fact]
    public void Tokens_follow_a_two_successor_chain_with_the_likely_successor_three_times_in_four()
    {
        var source = new SyntheticTokenSource(64, seed: 1);
        var transitions = new Dictionary<(long, long), int>();
        var total = 0;
        for (var index = 0; index < 400; index++)
        {
            var tokens = Sample(source, 0, index);
            Assert.All(tokens, t => Assert.InRange(t, 0, 63));
            for (var i = 0; i + 1 < tokens.Length; i++)
            {
                transitions[(tokens[i], tokens[i + 1])] = transitions.GetValueOrDefault((tokens[i], tokens[i + 1])) + 1;
                total++;
            }
        }

        // Every token has exactly two successors, the more frequent taken ~75% of the time.
        var byToken = transitions.GroupBy(kv => kv.Key.Item1).ToList();
        Assert.All(byToken, g => Assert.InRange(g.Count(), 1, 2));
        var likely = byToken.Sum(g => g.Max(kv => kv.Value)) / (double)total;
        Assert.InRange(likely, 0.72, 0.78);
    }
}
