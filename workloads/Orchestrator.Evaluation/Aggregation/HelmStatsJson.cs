using System.Text;
using System.Text.Json;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Aggregation;

/// <summary>
/// Writes stats in the shape of HELM's run outputs: <c>stats.json</c> (a list of Stat objects with
/// <c>name {name, split, sub_split, perturbation}</c>, <c>count</c>, <c>sum</c>, <c>sum_squared</c>, <c>min</c>,
/// <c>max</c>, <c>mean</c>, <c>variance</c>, <c>stddev</c>) and <c>per_instance_stats.json</c> (a list of
/// <c>{instance_id, perturbation, train_trial_index, stats}</c>). Absent values are left out, as HELM writes them.
/// </summary>
public static class HelmStatsJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    /// <summary>The run stats as HELM's <c>stats.json</c>.</summary>
    public static string WriteStats(IEnumerable<Stat> stats) => Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var stat in stats)
        {
            WriteStat(writer, stat);
        }

        writer.WriteEndArray();
    });

    /// <summary>The per-instance stats as HELM's <c>per_instance_stats.json</c>.</summary>
    public static string WritePerInstanceStats(IEnumerable<PerInstanceStats> perInstance) => Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var instance in perInstance)
        {
            writer.WriteStartObject();
            writer.WriteString("instance_id", instance.Instance.Id);
            if (instance.Instance.Perturbation is { } perturbation)
            {
                writer.WritePropertyName("perturbation");
                WritePerturbation(writer, perturbation);
            }

            writer.WriteNumber("train_trial_index", instance.TrainTrialIndex);
            writer.WriteStartArray("stats");
            foreach (var stat in instance.Stats)
            {
                WriteStat(writer, stat);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            body(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteStat(Utf8JsonWriter writer, Stat stat)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("name");
        writer.WriteString("name", stat.Name.Name);
        WriteIfPresent(writer, "split", stat.Name.Split);
        WriteIfPresent(writer, "sub_split", stat.Name.SubSplit);
        if (stat.Name.Perturbation is { } perturbation)
        {
            writer.WritePropertyName("perturbation");
            WritePerturbation(writer, perturbation);
        }

        writer.WriteEndObject();
        writer.WriteNumber("count", stat.Count);
        writer.WriteNumber("sum", stat.Sum);
        writer.WriteNumber("sum_squared", stat.SumSquared);
        WriteIfPresent(writer, "min", stat.Min);
        WriteIfPresent(writer, "max", stat.Max);
        WriteIfPresent(writer, "mean", stat.Mean);
        WriteIfPresent(writer, "variance", stat.Variance);
        WriteIfPresent(writer, "stddev", stat.Stddev);
        writer.WriteEndObject();
    }

    private static void WritePerturbation(Utf8JsonWriter writer, PerturbationDescription perturbation)
    {
        writer.WriteStartObject();
        writer.WriteString("name", perturbation.Name);
        writer.WriteBoolean("robustness", perturbation.Robustness);
        writer.WriteBoolean("fairness", perturbation.Fairness);
        WriteIfPresent(writer, "computed_on", perturbation.ComputedOn);
        if (perturbation.Seed is { } seed)
        {
            writer.WriteNumber("seed", seed);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }
}
