using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Parallel;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Orchestrator.Kernels.Tests.Parallel;

public sealed class VocabularyParallelCrossEntropyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Loss_and_logit_gradients_equal_cross_entropy_over_the_full_vocabulary(int tensorParallelSize)
    {
        using var generator = new Generator(17);
        using var logits = randn([6, 16], generator: generator).mul_(3);
        using var targets = randint(0, 16, [6], ScalarType.Int64, generator: generator);
        using var full = logits.clone().requires_grad_(true);
        using var expected = F.cross_entropy(full, targets, reduction: nn.Reduction.None);
        using var expectedMean = expected.mean();
        expectedMean.backward();

        var world = new InProcessWorld(new ParallelGrid(TensorParallelSize: tensorParallelSize));
        var results = world.Run(g =>
        {
            var part = 16 / tensorParallelSize;
            using var local = logits.narrow(1, g.Tensor.Rank * part, part).clone().requires_grad_(true);
            using var losses = VocabularyParallelCrossEntropy.Apply(local, targets, g.Tensor, g.Tensor.Rank * part);
            using var mean = losses.mean();
            mean.backward();
            return (Losses: losses.detach().clone(), Gradient: local.grad!.clone());
        });

        Assert.All(results, r => Assert.True(r.Losses.allclose(expected, rtol: 1e-6, atol: 1e-6)));
        using var gathered = cat(results.Select(r => r.Gradient).ToList(), 1);
        Assert.True(gathered.allclose(full.grad!, rtol: 1e-5, atol: 1e-7));
    }
}
