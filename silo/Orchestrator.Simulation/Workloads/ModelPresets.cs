using Orchestrator.Planning.Model;

namespace Orchestrator.Simulation.Workloads;

/// <summary>
/// The models a synthetic job trains, by size: Llama-3-shaped 8B, 70B and 405B (SwiGLU, grouped-query attention,
/// 8,192-token sequences). A job of up to 64 GPUs trains the 8B, up to 1,024 the 70B, larger ones the 405B, as a
/// cluster's small, medium and flagship runs would.
/// </summary>
internal static class ModelPresets
{
    public const string Small = "llama3-8b";
    public const string Medium = "llama3-70b";
    public const string Large = "llama3-405b";

    public static string ForGpus(int gpus) => gpus <= 64 ? Small : gpus <= 1024 ? Medium : Large;

    public static (TransformerModel Model, TrainingShape Training) Get(string name) => name switch
    {
        Small => (Llama(32, 4096, 32, 14_336), new TrainingShape(GlobalBatch: 512)),
        Medium => (Llama(80, 8192, 64, 28_672), new TrainingShape(GlobalBatch: 1024)),
        Large => (Llama(126, 16_384, 128, 53_248), new TrainingShape(GlobalBatch: 2048)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"not a model preset; known: {Small}, {Medium}, {Large}"),
    };

    private static TransformerModel Llama(int layers, int hidden, int heads, int ffn) =>
        new(layers, hidden, heads, SequenceLength: 8192, Vocabulary: 128_256, QueryGroups: 8, FfnHidden: ffn,
            Activation: FfnActivation.Swiglu, UntiedEmbeddings: true);
}
