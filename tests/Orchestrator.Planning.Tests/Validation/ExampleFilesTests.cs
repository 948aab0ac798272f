using Orchestrator.Planning.Calibration;
using Orchestrator.Planning.Tables;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Planning.Tests.Validation;

/// <summary>The TrainingJob files in <c>examples/megatron</c> describe exactly the published runs.</summary>
public sealed class ExampleFilesTests
{
    [Fact]
    public void Every_weak_scaling_row_has_an_example_with_its_model_batch_gpus_and_layout()
    {
        foreach (var row in PaperRuns.WeakScalingRows.Rows)
        {
            var spec = Spec($"weak-scaling-{row}.yaml");
            AssertModel(spec, row);
            Assert.Equal(row.Text("global_batch"), Scalar(spec, "training", "globalBatch"));
            Assert.Equal(row.Text("gpus"), Scalar(spec, "resources", "gpus"));
            Assert.Equal(row.Text("tensor"), Scalar(spec, "parallelism", "tensor"));
            Assert.Equal(row.Text("pipeline"), Scalar(spec, "parallelism", "pipeline"));
            Assert.Equal("full", Scalar(spec, "parallelism", "recompute"));
        }
    }

    [Fact]
    public void Every_table5_entry_has_an_example_per_mode()
    {
        foreach (var row in PaperRuns.Table5Rows.Rows)
        {
            foreach (var (mode, recompute, sequenceParallel) in new[] { ("full", "full", "false"), ("sp-selective", "selective", "true") })
            {
                var spec = Spec($"table5-{row}-{mode}.yaml");
                AssertModel(spec, row);
                Assert.Equal(row.Text("micro_batch"), Scalar(spec, "parallelism", "microBatch"));
                Assert.Equal(row.Text("virtual_stages"), Scalar(spec, "parallelism", "virtualStages"));
                Assert.Equal(recompute, Scalar(spec, "parallelism", "recompute"));
                Assert.Equal(sequenceParallel, Scalar(spec, "parallelism", "sequenceParallel"));
            }
        }
    }

    private static void AssertModel(YamlMappingNode spec, CsvRow row)
    {
        Assert.Equal(row.Text("layers"), Scalar(spec, "model", "layers"));
        Assert.Equal(row.Text("hidden"), Scalar(spec, "model", "hidden"));
        Assert.Equal(row.Text("heads"), Scalar(spec, "model", "heads"));
        Assert.Equal("2048", Scalar(spec, "model", "sequenceLength"));
        Assert.Equal("51200", Scalar(spec, "model", "vocabulary"));
        // The published runs set the options of their time explicitly, so today's defaults do not change them.
        Assert.Equal("false", ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)spec["model"])["attention"])["flash"]).Value);
        Assert.Equal("fp16", Scalar(spec, "model", "precision"));
        Assert.Equal("gelu", Scalar(spec, "model", "activation"));
        Assert.Equal("half", Scalar(spec, "training", "mainGradients"));
        Assert.Equal("false", Scalar(spec, "training", "distributedOptimizer"));
        var overlap = (YamlMappingNode)((YamlMappingNode)spec["training"])["overlap"];
        Assert.All(["gradReduce", "paramGather", "tensor"], key => Assert.Equal("false", ((YamlScalarNode)overlap[key]).Value));
    }

    private static string Scalar(YamlMappingNode spec, string section, string key) =>
        ((YamlScalarNode)((YamlMappingNode)spec[section])[key]).Value!;

    private static YamlMappingNode Spec(string file)
    {
        var path = FindExamples(file);
        var stream = new YamlStream();
        using (var reader = File.OpenText(path)) stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal("orchestrator/v1", ((YamlScalarNode)root["apiVersion"]).Value);
        Assert.Equal("TrainingJob", ((YamlScalarNode)root["kind"]).Value);
        return (YamlMappingNode)root["spec"];
    }

    private static string FindExamples(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "examples", "megatron", file);
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"examples/megatron/{file} not found above {AppContext.BaseDirectory}");
    }
}
