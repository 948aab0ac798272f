using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Evaluation.Adapters;
using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Clients;

/// <summary>
/// The OpenAI wire format: request bodies for the completions and chat APIs and the completions (with log-probabilities
/// where present) read back from their answers. Field names follow OpenAI's API reference; HELM's openai_client.py reads
/// the same fields (a missing first echoed log-probability counts as 0, as there).
/// </summary>
internal static class OpenAiWire
{
    public static JsonObject CompletionsBody(string model, ModelRequest request)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["prompt"] = request.Prompt,
            ["temperature"] = request.Temperature,
            ["n"] = request.NumCompletions,
            ["max_tokens"] = request.MaxTokens,
            ["echo"] = request.EchoPrompt,
            ["logprobs"] = request.TopKPerToken,
        };
        AddStops(body, request);
        return body;
    }

    public static JsonObject ChatBody(string model, ModelRequest request)
    {
        if (request.EchoPrompt || request.MaxTokens == 0)
        {
            // Scoring a given text needs its log-probabilities, which chat endpoints never return for the input.
            throw new NotSupportedException(
                "api 'chat' cannot echo or score the prompt (language_modeling and multiple_choice_separate_* adapters " +
                "need that); use api 'completions'");
        }

        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = request.Prompt }),
            ["temperature"] = request.Temperature,
            ["n"] = request.NumCompletions,
            ["max_tokens"] = request.MaxTokens,
            ["logprobs"] = true,
        };
        if (request.TopKPerToken > 0)
        {
            body["top_logprobs"] = request.TopKPerToken;
        }

        AddStops(body, request);
        return body;
    }

    public static IReadOnlyList<Completion> ReadCompletions(JsonElement root, OpenAiApi api)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) ||
            choices.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("server answer has no 'choices' array");
        }

        var completions = new List<Completion>();
        foreach (var choice in choices.EnumerateArray())
        {
            completions.Add(api == OpenAiApi.Chat ? ReadChatChoice(choice) : ReadCompletionChoice(choice));
        }

        return completions;
    }

    private static void AddStops(JsonObject body, ModelRequest request)
    {
        if (request.StopSequences.Count > 0)
        {
            body["stop"] = new JsonArray([.. request.StopSequences.Select(s => (JsonNode)JsonValue.Create(s))]);
        }
    }

    private static Completion ReadCompletionChoice(JsonElement choice)
    {
        var text = RequiredString(choice, "text", "choices[].text");
        if (!choice.TryGetProperty("logprobs", out var logprobs) || logprobs.ValueKind != JsonValueKind.Object)
        {
            return new Completion(text);
        }

        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString() ?? "").ToList();
        var values = logprobs.GetProperty("token_logprobs").EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0.0).ToList();
        if (tokens.Count != values.Count)
        {
            throw new InvalidDataException(
                $"choices[].logprobs: {tokens.Count} tokens but {values.Count} token_logprobs");
        }

        return Scored(text, tokens.Zip(values, (t, v) => new ScoredToken(t, v)).ToList());
    }

    private static Completion ReadChatChoice(JsonElement choice)
    {
        if (!choice.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("server answer: choices[].message missing");
        }

        var text = message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : "";
        if (!choice.TryGetProperty("logprobs", out var logprobs) || logprobs.ValueKind != JsonValueKind.Object ||
            !logprobs.TryGetProperty("content", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return new Completion(text);
        }

        var tokens = items.EnumerateArray()
            .Select(i => new ScoredToken(RequiredString(i, "token", "choices[].logprobs.content[].token"),
                i.GetProperty("logprob").GetDouble()))
            .ToList();
        return Scored(text, tokens);
    }

    private static Completion Scored(string text, IReadOnlyList<ScoredToken> tokens) =>
        new(text, tokens.Sum(t => t.LogProbability), tokens);

    private static string RequiredString(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"server answer: {path} missing or not a string");
}
