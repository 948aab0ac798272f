namespace Orchestrator.Evaluation.Clients;

/// <summary>Which OpenAI-compatible endpoint a client calls.</summary>
public enum OpenAiApi
{
    /// <summary><c>POST /completions</c>: a prompt string; can echo the prompt with log-probabilities.</summary>
    Completions,

    /// <summary><c>POST /chat/completions</c>: the prompt as one user message; cannot echo.</summary>
    Chat,
}
