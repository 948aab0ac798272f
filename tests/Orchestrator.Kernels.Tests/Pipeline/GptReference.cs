using Orchestrator.Kernels.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Pipeline;

/// <summary>The single-device run of PipeDream-2BW's delayed update rule (plain runs: <c>Parallel.ReferenceRun</c>).</summary>
internal static class GptReference
{
    /// <summary>
    /// PipeDream-2BW's rule on one device: batch t's gradient is taken at W(max(t-1, 0)) and applied (clipped, AdamW)
    /// to the newest weights W(t). Returns the final weights W(batches).
    /// </summary>
    public static Dictionary<string, Tensor> TrainDelayed(
        GptConfig config, IReadOnlyList<(Tensor Tokens, Tensor Targets)> batches, double learningRate, double maxNorm)
    {
        using var master = new Gpt(config, 1234);
        using var evaluator = new Gpt(config, 1234);
        using var optimizer = optim.AdamW(master.parameters(), lr: learningRate, weight_decay: 0.01);
        var versions = new List<Tensor[]> { master.parameters().Select(p => p.detach().clone()).ToArray() };
        foreach (var (t, (tokens, targets)) in batches.Select((b, i) => (i, b)))
        {
            using (no_grad())
            {
                foreach (var (p, v) in evaluator.parameters().Zip(versions[Math.Max(t - 1, 0)])) p.copy_(v);
            }

            evaluator.zero_grad();
            using var loss = evaluator.Loss(tokens, targets);
            loss.backward();
            foreach (var (m, e) in master.parameters().Zip(evaluator.parameters())) m.grad = e.grad!.clone();
            nn.utils.clip_grad_norm_(master.parameters(), maxNorm);
            optimizer.step();
            optimizer.zero_grad();
            versions.Add(master.parameters().Select(p => p.detach().clone()).ToArray());
        }

        return master.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
    }
}
