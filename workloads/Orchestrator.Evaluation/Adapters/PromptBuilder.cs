using System.Text;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Adapters;

/// <summary>
/// HELM's prompt construction (adaptation/prompt.py and the in-context adapters): blocks are the instructions (when
/// not empty), one block per in-context example and the evaluated instance, joined by the instance prefix, wrapped in
/// the global prefix and suffix. When a context window is known, examples are dropped from the end until the prompt
/// plus <c>max_tokens</c> fits, then the text is cut from the right.
/// </summary>
internal sealed class PromptBuilder(AdapterSpec spec, ContextWindow? window)
{
    public (string Text, int NumTrainInstances, bool Truncated) Build(
        IReadOnlyList<Instance> examples, Instance instance, bool includeOutput, int? referenceIndex)
    {
        var blocks = examples.Select(example => ExampleBlock(example, includeOutput: true, referenceIndex: null)).ToList();
        var evaluated = ExampleBlock(instance, includeOutput, referenceIndex);
        var text = Join(blocks, evaluated);
        if (window is null)
        {
            return (text, blocks.Count, false);
        }

        while (blocks.Count > 0)
        {
            if (window.Fits(text, spec.MaxTokens))
            {
                return (text, blocks.Count, false);
            }

            blocks.RemoveAt(blocks.Count - 1);
            text = Join(blocks, evaluated);
        }

        var truncated = window.TruncateFromRight(text, spec.MaxTokens);
        return (truncated, 0, truncated.Length < text.Length);
    }

    /// <summary>The letter prefix of reference <paramref name="index"/>: the prefix's first non-space character advanced.</summary>
    public string ReferencePrefix(string prefix, int index)
    {
        var letter = prefix.TrimStart()[0];
        return prefix.Replace(letter, (char)(letter + index));
    }

    public char FirstLetter => spec.ReferencePrefix.TrimStart()[0];

    private string Join(IReadOnlyList<string> trainBlocks, string evaluated)
    {
        var all = new List<string>();
        if (spec.Instructions.Length > 0)
        {
            all.Add(spec.Instructions);
        }

        all.AddRange(trainBlocks);
        all.Add(evaluated);
        return spec.GlobalPrefix + string.Join(spec.InstancePrefix, all) + spec.GlobalSuffix;
    }

    private string ExampleBlock(Instance instance, bool includeOutput, int? referenceIndex)
    {
        var block = new StringBuilder(spec.InputPrefix + instance.Input + spec.InputSuffix);
        string output;
        if (spec.Method == AdapterMethod.MultipleChoiceJoint)
        {
            output = AppendChoices(block, instance);
        }
        else
        {
            output = Output(instance, referenceIndex);
        }

        block.Append(includeOutput ? spec.OutputPrefix + output + spec.OutputSuffix : spec.OutputPrefix.TrimEnd());
        return block.ToString();
    }

    /// <summary>Appends the lettered references; returns the correct letter(s), or <c>n/a</c>.</summary>
    private string AppendChoices(StringBuilder block, Instance instance)
    {
        var output = "n/a";
        var letter = FirstLetter.ToString();
        for (var i = 0; i < instance.References.Count; i++)
        {
            var reference = instance.References[i];
            block.Append(ReferencePrefix(spec.ReferencePrefix, i)).Append(reference.Output).Append(spec.ReferenceSuffix);
            if (!reference.IsCorrect)
            {
                continue;
            }

            if (output == "n/a")
            {
                output = ReferencePrefix(letter, i);
            }
            else if (spec.MultiLabel)
            {
                output += ", " + ReferencePrefix(letter, i);
            }
        }

        return output;
    }

    /// <summary>HELM's <c>construct_output</c>: the given reference, all correct ones (multi-label), or the first.</summary>
    private string Output(Instance instance, int? referenceIndex)
    {
        if (referenceIndex is { } index)
        {
            return instance.References[index].Output;
        }

        if (spec.MultiLabel)
        {
            var correct = instance.References.Where(r => r.IsCorrect).Select(r => r.Output).ToList();
            return correct.Count == 0 ? "n/a" : string.Join(", ", correct);
        }

        return instance.FirstCorrectReference?.Output ?? "n/a";
    }
}
