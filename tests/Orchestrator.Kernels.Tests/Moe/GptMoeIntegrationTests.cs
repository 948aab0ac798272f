using Orchestrator.Kernels.Communication;
using Orchestrator.Kernels.Model;
using Orchestrator.Kernels.Moe;
using Orchestrator.Kernels.Native;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Moe;

public sealed class GptMoeIntegrationTests
{
    private const long Seed = 4321;

    private static readonly GptConfig Config = new(
        Layers: 4, Hidden: 32, Heads: 4, Vocabulary: 64, SequenceLength: 16, FeedForwardHidden: 64,
        Moe: new GptMoeSettings(ExpertCount: 4, TopK: 2, Every: 2, BlockSize: 16, AuxiliaryLossCoefficient: 0.1, ZLossCoefficient: 0.01));

    [Fact]
    public void Every_second_block_replaces_its_mlp_with_a_router_and_experts()
    {
        var names = GptParameterNames.All(Config).ToDictionary(p => p.Name, p => p.Shape);

        foreach (var layer in new[] { 1, 3 })
        {
            var prefix = GptParameterNames.Layer(layer);
            Assert.DoesNotContain(prefix + "mlp.up.weight", names.Keys);
            Assert.Equal([32L, 4], names[prefix + GptMoeSettings.RouterWeight]);
            Assert.Equal([4L, 32, 64], names[prefix + GptMoeSettings.ExpertInputWeight]);
            Assert.Equal([4L, 64, 32], names[prefix + GptMoeSettings.ExpertOutputWeight]);
        }

        foreach (var layer in new[] { 0, 2 })
        {
            Assert.Contains(GptParameterNames.Layer(layer) + "mlp.up.weight", names.Keys);
            Assert.DoesNotContain(GptParameterNames.Layer(layer) + GptMoeSettings.RouterWeight, names.Keys);
        }
    }

    [Fact]
    public void The_load_balancing_loss_reaches_the_router_through_the_layer_output()
    {
        TorchRuntime.EnsureLoaded();
        var output = randn([5, 3], dtype: ScalarType.Float64).requires_grad_(true);
        var weight = randn([2], dtype: ScalarType.Float64).requires_grad_(true);
        var regularization = weight.square().sum() * 3.0;
        var projection = randn([5, 3], dtype: ScalarType.Float64);

        var attached = MoeAuxiliaryLoss.Attach(output, regularization);
        (attached * projection).sum().backward();

        Assert.True(attached.detach().eq(output.detach()).all().item<bool>());
        Assert.True(output.grad!.allclose(projection));
        Assert.True(weight.grad!.allclose(weight.detach() * 6.0));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    public void A_partitioned_moe_gpt_equals_the_single_device_model(int tensorParallelSize, int expertParallelSize)
    {
        TorchRuntime.EnsureLoaded();
        var grid = new ParallelGrid(TensorParallelSize: tensorParallelSize, DataParallelSize: expertParallelSize, ExpertParallelSize: expertParallelSize);
        using var generator = new TorchSharp.torch.Generator(77);
        var stream = randint(0, Config.Vocabulary, [2 * expertParallelSize, Config.SequenceLength + 1], ScalarType.Int64, generator: generator);
        var tokens = stream.narrow(1, 0, Config.SequenceLength).chunk(expertParallelSize, 0).Select(t => t.contiguous()).ToArray();
        var targets = stream.narrow(1, 1, Config.SequenceLength).chunk(expertParallelSize, 0).Select(t => t.contiguous()).ToArray();
        const string router = "layers.1.moe.router.weight";
        const string experts = "layers.3.moe.experts.input";

        var ranks = new InProcessWorld(grid).Run(groups =>
        {
            using var partition = new GptPartition(Config, groups, new GptPartitionOptions(), Seed);
            var replica = groups.Coordinates.Data;
            var loss = partition.Chunks.Single().Forward(tokens[replica], targets[replica]);
            loss.backward();
            var parameters = partition.Parameters.ToDictionary(p => p.Name);
            Assert.True(parameters[experts].IsExpert);
            Assert.Equal(tensorParallelSize > 1, parameters[experts].SumGradientOverTensorGroup);
            return (Replica: replica, ExpertRank: groups.Expert.Rank, Loss: loss.item<float>(),
                Router: parameters[router].Value.grad!.clone(), Experts: parameters[experts].Value.grad!.clone());
        });

        var model = new Gpt(Config, Seed);
        var expertGradients = new List<Tensor>();
        for (var replica = 0; replica < expertParallelSize; replica++)
        {
            model.zero_grad();
            var loss = model.Loss(tokens[replica], targets[replica]);
            loss.backward();
            expertGradients.Add(model.Parameter(experts).grad!.clone());
            foreach (var rank in ranks.Where(r => r.Replica == replica))
            {
                Assert.Equal(loss.item<float>(), rank.Loss, 5);
                Assert.True(rank.Router.allclose(model.Parameter(router).grad!, rtol: 1e-4, atol: 1e-6), $"router gradient of replica {replica}");
            }
        }

        var total = expertGradients.Aggregate((a, b) => a + b);
        var local = Config.Moe!.ExpertCount / expertParallelSize;
        for (var expertRank = 0; expertRank < expertParallelSize; expertRank++)
        {
            var summed = ranks.Where(r => r.ExpertRank == expertRank).Select(r => r.Experts).Aggregate((a, b) => a + b);
            Assert.True(summed.allclose(total.narrow(0, expertRank * local, local), rtol: 1e-4, atol: 1e-6), $"expert gradient of expert rank {expertRank}");
        }
    }
}
