using FsCheck;
using FsCheck.Fluent;
using Orchestrator.Client.Specs;
using Orchestrator.Contracts.Jobs;

namespace Orchestrator.Silo.Tests.Security;

/// <summary>
/// Generated and mutated job documents (YAML and JSON) for fuzzing the loader and the HTTP API: valid seeds, then a
/// few of these mutations each: a value replaced by a hostile one (huge numbers, NaN, YAML tags and anchors,
/// path traversals, control characters, 5,000-character strings), a line dropped, doubled or swapped, a byte inserted,
/// the text truncated. Shared with the benchmark suite <c>security</c> (linked source, not a copy).
/// </summary>
public static class SpecFuzz
{
    public static readonly string[] Hostile =
    [
        "-1", "0", "2147483648", "-2147483649", "99999999999999999999999", "1e308", "-1e308", ".nan", "NaN", ".inf", "-.inf",
        "null", "~", "''", "\"\"", "true", "[1, 2]", "{a: 1}", "&anchor x", "*anchor", "!!binary AAAA", "!<tag:x> 1", "%YAML",
        "../../etc/passwd", "file:../../etc/shadow", "file:/etc/shadow", "file:/data/../etc/shadow", "file:C:\\..\\x", "file:\u0000x",
        "a/../../b", "..", "\"\\u0000\"", "\"\\n\"", new string('a', 5000), "'x\ny'", "0x7fffffff", "1_000_000", "+12", "3.0e-3",
        "research", "default", "gpt", "synthetic", "builtin:synthetic", "{ tensor: 9999999, pipeline: 1, data: 1 }",
    ];

    private static readonly string[] Seeds =
    [
        """
        apiVersion: orchestrator/v1
        kind: TrainingJob
        metadata: { name: fuzz, queue: research, priority: 5 }
        spec:
          model: { family: gpt, layers: 2, hidden: 32, heads: 4, sequenceLength: 16, vocabulary: 64 }
          data: { source: builtin:synthetic }
          training: { globalBatch: 4, steps: 5, optimizer: { name: adamw, learningRate: 3.0e-3 } }
          resources: { gpus: 1, gpuType: cpu }
        """,
        """
        apiVersion: orchestrator/v1
        kind: TrainingJob
        metadata:
          name: fuzz-moe
          queue: default
          priority: 1
        spec:
          model:
            family: gpt
            layers: 4
            hidden: 64
            heads: 4
            sequenceLength: 32
            vocabulary: gpt2
            moe: { experts: 4, topK: 2, every: 2 }
          data:
            source: "file:corpus.txt"
          training:
            globalBatch: 8
            steps: 10
            optimizer: { name: sgd, learningRate: 0.1 }
          parallelism: { tensor: 1, pipeline: 2, data: 1, schedule: 1f1b, microBatch: 2 }
          resources: { gpus: 2, minGpus: 1 }
          checkpoint: { every: 5, keep: 2 }
          runtime: { command: ["python", "train.py"], env: { SEED: "1" } }
          restartPolicy: { maxAttempts: 3, onExitCodes: { 3: fail } }
        """,
        """
        {"apiVersion": "orchestrator/v1", "kind": "TrainingJob",
         "metadata": {"name": "fuzz-json", "queue": "default", "priority": 0},
         "spec": {"model": {"family": "gpt", "layers": 2, "hidden": 32, "heads": 4, "sequenceLength": 16, "vocabulary": 64},
                  "data": {"source": "builtin:synthetic"},
                  "training": {"globalBatch": 4, "steps": 5, "optimizer": {"name": "adamw", "learningRate": 0.003}},
                  "resources": {"gpus": 1}}}
        """,
    ];

    /// <summary>A valid document (the first seed): a job of one CPU device in queue <c>research</c>.</summary>
    public static string ValidDocument => Seeds[0];

    /// <summary>Documents: a seed with one to four mutations.</summary>
    public static Gen<string> Documents() =>
        from seed in Gen.Elements(Seeds)
        from count in Gen.Choose(1, 4)
        from mutations in Gen.ArrayOf(Mutation(), count)
        select mutations.Aggregate(seed, (text, mutate) => mutate(text));

    /// <summary><paramref name="count"/> documents drawn from <see cref="Documents"/>.</summary>
    public static string[] Sample(int count) => Documents().Sample(count);

    /// <summary>
    /// Null when the loader handles <paramref name="document"/> properly: accepted within the bounds and with no
    /// traversal, or refused with every error naming a field. Otherwise what went wrong (a crash is any other exception).
    /// </summary>
    public static string? Check(string document)
    {
        try
        {
            var spec = JobSpecLoader.Parse(document);
            if (spec.Data.Source.StartsWith("file:", StringComparison.Ordinal) && SpecBounds.ClimbsOut(spec.Data.Source[5..]))
                return $"accepted a traversing data source '{spec.Data.Source}'";
            return spec.Training.Steps > SpecBounds.MaxSteps || spec.Model.Layers > SpecBounds.MaxLayers ? "accepted a spec beyond the bounds" : null;
        }
        catch (JobSpecException e)
        {
            return e.Errors.Count > 0 && e.Errors.All(error => error.Path.Length > 0 && error.Message.Length > 0) ? null : $"a refusal without a field: {e.Message}";
        }
        catch (Exception e)
        {
            return $"crash: {e.GetType().Name}: {e.Message}";
        }
    }

    private static Gen<Func<string, string>> Mutation() => Gen.OneOf(
        from line in Gen.Choose(0, 40)
        from value in Gen.Elements(Hostile)
        select (Func<string, string>)(text => ReplaceValue(text, line, value)),
        from line in Gen.Choose(0, 40)
        select (Func<string, string>)(text => EditLines(text, line, (lines, i) => lines.RemoveAt(i))),
        from line in Gen.Choose(0, 40)
        select (Func<string, string>)(text => EditLines(text, line, (lines, i) => lines.Insert(i, lines[i]))),
        from line in Gen.Choose(0, 40)
        from other in Gen.Choose(0, 40)
        select (Func<string, string>)(text => EditLines(text, line, (lines, i) => (lines[i], lines[other % lines.Count]) = (lines[other % lines.Count], lines[i]))),
        from at in Gen.Choose(0, 2000)
        from c in Gen.Elements('{', '}', '[', ']', ':', '"', '\'', '\t', '\n', '#', '&', '*', '!', '|', '>', '-', ',', '\0', '\u00e9')
        select (Func<string, string>)(text => text.Insert(at % (text.Length + 1), c.ToString())),
        from at in Gen.Choose(0, 2000)
        select (Func<string, string>)(text => text[..(at % (text.Length + 1))]));

    private static string EditLines(string text, int line, Action<List<string>, int> edit)
    {
        var lines = text.Split('\n').ToList();
        edit(lines, line % lines.Count);
        return string.Join('\n', lines);
    }

    /// <summary>Replaces the value after the <paramref name="occurrence"/>-th <c>: </c> (YAML or JSON) up to the next delimiter.</summary>
    private static string ReplaceValue(string text, int occurrence, string value)
    {
        var starts = new List<int>();
        for (var i = text.IndexOf(": ", StringComparison.Ordinal); i >= 0; i = text.IndexOf(": ", i + 2, StringComparison.Ordinal)) starts.Add(i + 2);
        if (starts.Count == 0) return text + value;
        var start = starts[occurrence % starts.Count];
        var end = text.IndexOfAny([',', '}', '\n', ']'], start);
        return text[..start] + value + (end < 0 ? "" : text[end..]);
    }
}
