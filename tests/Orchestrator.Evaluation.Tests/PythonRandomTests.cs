using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Tests;

/// <summary>Expected values printed by CPython 3 (<c>random.Random</c>) for the same seeds and calls.</summary>
public sealed class PythonRandomTests
{
    [Fact]
    public void IntSeedReproducesCPythonStream()
    {
        // r = random.Random(0); r.random() -> 0.8444218515250481; r.randrange(10) -> 6; r.choice('abcdef') -> 'a'
        var random = new PythonRandom(0);
        Assert.Equal(0.8444218515250481, random.NextDouble());
        Assert.Equal(6, random.Below(10));
        Assert.Equal('a', random.Choice("abcdef".ToList()));
    }

    [Fact]
    public void StringSeedUsesUtf8AndSha512LikeCPython()
    {
        // random.Random('42q1'): random() -> 0.6900148737735562, randrange(1000) -> 2; random.Random('').random() -> 0.9602256525641875
        var random = new PythonRandom("42q1");
        Assert.Equal(0.6900148737735562, random.NextDouble());
        Assert.Equal(2, random.Below(1000));
        Assert.Equal(0.9602256525641875, new PythonRandom("").NextDouble());
    }

    [Fact]
    public void ShuffleAndBothSampleAlgorithmsMatchCPython()
    {
        // r = random.Random(3); l = list(range(8)); r.shuffle(l) -> [0, 5, 7, 2, 1, 6, 4, 3]
        // r.sample(range(30), 4) -> [20, 18, 2, 19] (set algorithm: 30 > 21); r.sample(range(5), 3) -> [0, 3, 1] (pool)
        var random = new PythonRandom(3);
        var list = Enumerable.Range(0, 8).ToList();
        random.Shuffle(list);
        Assert.Equal([0, 5, 7, 2, 1, 6, 4, 3], list);
        Assert.Equal([20, 18, 2, 19], random.Sample(Enumerable.Range(0, 30).ToList(), 4));
        Assert.Equal([0, 3, 1], random.Sample(Enumerable.Range(0, 5).ToList(), 3));
    }
}
