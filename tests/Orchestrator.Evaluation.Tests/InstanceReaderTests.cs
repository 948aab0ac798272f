using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Tests;

public sealed class InstanceReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eval-reader-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReadsAGeneratedFileIntoAScenarioWithSplits()
    {
        var path = Path.Combine(_directory, "tiny.jsonl");
        File.WriteAllLines(path,
        [
            """{"id": "t1", "input": "2+2?", "references": [{"output": "4", "tags": ["correct"]}], "split": "train"}""",
            "",
            """{"id": "v1", "input": "3+3?", "references": [{"output": "6", "tags": ["correct"]}, {"output": "7", "tags": []}], "split": "valid", "sub_split": "easy"}""",
            """{"id": "q1", "input": "1+1?", "references": [{"output": "2", "tags": ["correct"]}], "split": "test", "perturbation": {"name": "typos", "robustness": true, "seed": 3}}""",
        ]);

        var scenario = JsonlInstanceReader.ReadFile(path);

        Assert.Equal($"file:{path}", scenario.Name);
        Assert.Equal(["t1"], scenario.InSplit(Splits.Train).Select(i => i.Id));
        Assert.Equal(["v1", "q1"], scenario.EvaluationInstances.Select(i => i.Id));
        var valid = scenario.InSplit(Splits.Valid)[0];
        Assert.Equal("easy", valid.SubSplit);
        Assert.Equal("6", valid.FirstCorrectReference!.Output);
        Assert.False(valid.References[1].IsCorrect);
        Assert.Equal(new PerturbationDescription("typos", Robustness: true, Seed: 3), scenario.InSplit(Splits.Test)[0].Perturbation);
    }

    [Theory]
    [InlineData("""{"id": "a", "input": """, 1, "$")]
    [InlineData("""[1, 2]""", 1, "$")]
    [InlineData("""{"id": "a", "split": "test"}""", 1, "input")]
    [InlineData("""{"id": "a", "input": 5, "split": "test"}""", 1, "input")]
    [InlineData("""{"id": "a", "input": "x", "split": "dev"}""", 1, "split")]
    [InlineData("""{"id": "", "input": "x", "split": "test"}""", 1, "id")]
    [InlineData("""{"id": "a", "input": "x", "split": "test", "refs": []}""", 1, "refs")]
    [InlineData("""{"id": "a", "input": "x", "split": "test", "references": [{"output": "y", "tags": [1]}]}""", 1, "references[0].tags")]
    [InlineData("""{"id": "a", "input": "x", "split": "test", "references": [{"tags": []}]}""", 1, "references[0].output")]
    [InlineData("""{"id": "a", "input": "x", "split": "test", "perturbation": {"name": "typos", "seed": "x"}}""", 1, "perturbation.seed")]
    public void RefusesABadLineNamingFileLineAndField(string line, int expectedLine, string field)
    {
        var error = Assert.Throws<InstanceFormatException>(() => JsonlInstanceReader.Read("bad.jsonl", [line]));

        Assert.Equal(expectedLine, error.Line);
        Assert.Equal(field, error.Field);
        Assert.StartsWith($"bad.jsonl:{expectedLine}: field '{field}'", error.Message);
    }

    [Fact]
    public void RefusesARepeatedIdNamingBothLines()
    {
        string[] lines =
        [
            """{"id": "a", "input": "x", "split": "test"}""",
            """{"id": "b", "input": "y", "split": "test"}""",
            """{"id": "a", "input": "z", "split": "test"}""",
        ];

        var error = Assert.Throws<InstanceFormatException>(() => JsonlInstanceReader.Read("dup.jsonl", lines));

        Assert.Equal(3, error.Line);
        Assert.Contains("already used on line 1", error.Message);
    }
}
