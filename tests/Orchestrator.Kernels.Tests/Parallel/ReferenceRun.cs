using Orchestrator.Kernels.Model;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Parallel;

/// <summary>The single-device run that every layout must equal: loss and gradients of the first step, weights after the last.</summary>
internal sealed record ReferenceRun(float Loss, double GradientNorm, Dictionary<string, Tensor> Gradients, Dictionary<string, Tensor> Weights)
{
    /// <param name="epsilon">AdamW epsilon; the layouts built with the distributed optimizer's default pass 1e-8.</param>
    public static ReferenceRun Train(GptConfig config, Tensor tokens, Tensor targets, int steps, double learningRate, double maxNorm, double epsilon = ReferenceFixture.Epsilon)
    {
        using var model = new Gpt(config, SmallGpt.Seed);
        using var optimizer = optim.AdamW(model.parameters(), lr: learningRate, eps: epsilon, weight_decay: 0.01);
        float firstLoss = 0;
        double firstNorm = 0;
        var gradients = new Dictionary<string, Tensor>();
        for (var step = 0; step < steps; step++)
        {
            optimizer.zero_grad();
            using var loss = model.Loss(tokens, targets);
            loss.backward();
            if (step == 0)
            {
                firstLoss = loss.item<float>();
                gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
            }

            var norm = nn.utils.clip_grad_norm_(model.parameters(), maxNorm);
            firstNorm = step == 0 ? norm : firstNorm;
            optimizer.step();
        }

        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        return new ReferenceRun(firstLoss, firstNorm, gradients, weights);
    }
}
