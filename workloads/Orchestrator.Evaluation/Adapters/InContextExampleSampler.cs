using Orchestrator.Evaluation.Instances;
using Orchestrator.Evaluation.Randomness;

namespace Orchestrator.Evaluation.Adapters;

/// <summary>
/// HELM's <c>InContextLearningAdapter.sample_examples</c> with CPython's generator seeded by the train-trial index:
/// labels (first correct reference text) sorted by how many train instances carry them, most first, ties broken by
/// shuffling the alphabetically sorted labels of equal count; then one instance per label in that cycle, each drawn
/// with <c>randrange</c> and removed, until k are chosen or the labels run dry; the rest by <c>sample</c> from the
/// unlabelled instances. With <c>sample_train = false</c>, the k instances starting at <c>k * seed</c>, in order.
/// </summary>
internal static class InContextExampleSampler
{
    public static IReadOnlyList<Instance> Sample(IReadOnlyList<Instance> train, int maxTrainInstances, int seed, bool sampleTrain)
    {
        var random = new PythonRandom(seed);
        var remaining = Math.Min(train.Count, maxTrainInstances);
        if (!sampleTrain)
        {
            return train.Skip(remaining * seed).Take(remaining).ToList();
        }

        var unlabeled = new List<Instance>();
        var byLabel = new Dictionary<string, List<Instance>>(StringComparer.Ordinal);
        foreach (var instance in train)
        {
            // HELM tests the Reference object for truth, so a correct reference with empty text still labels.
            if (instance.FirstCorrectReference is { } reference)
            {
                if (!byLabel.TryGetValue(reference.Output, out var list))
                {
                    byLabel[reference.Output] = list = [];
                }

                list.Add(instance);
            }
            else
            {
                unlabeled.Add(instance);
            }
        }

        var sortedLabels = new List<string>();
        var labelsByCount = byLabel.Keys.Order(StringComparer.Ordinal).GroupBy(label => byLabel[label].Count);
        foreach (var group in labelsByCount.OrderByDescending(g => g.Key))
        {
            var labels = group.ToList();
            random.Shuffle(labels);
            sortedLabels.AddRange(labels);
        }

        var examples = new List<Instance>();
        var position = 0;
        while (remaining > 0 && sortedLabels.Count > 0 && byLabel.Values.Any(list => list.Count > 0))
        {
            var label = sortedLabels[position++ % sortedLabels.Count];

            // HELM's `if not next_label: break` stops the cycle at an empty label text.
            if (label.Length == 0)
            {
                break;
            }

            var instances = byLabel[label];
            if (instances.Count == 0)
            {
                continue;
            }

            var index = random.Below(instances.Count);
            examples.Add(instances[index]);
            instances.RemoveAt(index);
            remaining--;
        }

        examples.AddRange(random.Sample(unlabeled, Math.Min(remaining, unlabeled.Count)));
        return examples;
    }
}
