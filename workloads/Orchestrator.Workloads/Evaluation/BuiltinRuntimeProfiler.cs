using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Clients;
using Orchestrator.Evaluation.Profiles;

namespace Orchestrator.Workloads.Evaluation;

/// <summary>
/// Measures a model client on requests of chosen prompt and output sizes (greedy, no stop sequences), giving the
/// (prompt tokens, output tokens, seconds) that <see cref="RuntimeProfileFitter"/> turns into a HELM-format profile of
/// our own hardware. Prompt sizes are exact in the model's tokens: the prompt repeats one token.
/// </summary>
public static class BuiltinRuntimeProfiler
{
    /// <summary>One request per (prompt size, output size) pair, <paramref name="repeats"/> times, after one warm-up request.</summary>
    /// <exception cref="ArgumentException">A size the model's window cannot hold.</exception>
    public static async Task<IReadOnlyList<RuntimeMeasurement>> MeasureAsync(
        IModelClient client, IReadOnlyList<int> promptSizes, IReadOnlyList<int> outputSizes, int repeats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var unit = client.Window.Tokenizer.Decode(client.Window.Tokenizer.Encode(" a"));
        foreach (var (prompt, output) in from p in promptSizes from o in outputSizes select (p, o))
        {
            if (prompt < 1 || output < 0 || prompt + output > client.Window.MaxRequestLength)
            {
                throw new ArgumentException(
                    $"sizes: prompt {prompt} + output {output} tokens must be positive and fit the model's {client.Window.MaxRequestLength} tokens");
            }
        }

        await client.CompleteAsync(Request(client, unit, promptSizes[0], outputSizes[0]), cancellationToken).ConfigureAwait(false);
        var measurements = new List<RuntimeMeasurement>();
        for (var round = 0; round < repeats; round++)
        {
            foreach (var prompt in promptSizes)
            {
                foreach (var output in outputSizes)
                {
                    var result = await client.CompleteAsync(Request(client, unit, prompt, output), cancellationToken).ConfigureAwait(false);
                    var generated = result.Completions[0].Tokens.Count;
                    measurements.Add(new RuntimeMeasurement(prompt, generated, result.RequestTime ?? throw new InvalidOperationException(
                        $"model client {client.ModelId} does not report request times")));
                }
            }
        }

        return measurements;
    }

    private static ModelRequest Request(IModelClient client, string unit, int promptTokens, int outputTokens) =>
        new(client.ModelId, string.Concat(Enumerable.Repeat(unit, promptTokens)), 0, 1, 1, outputTokens, [], false);
}
