using Orchestrator.Kernels.Moe;
using static Orchestrator.Kernels.Tests.Moe.MoeTestKit;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Tests.Moe;

public sealed class GroupedMatmulTests
{
    public static TheoryData<long[]> GroupSizes() => new()
    {
        new long[] { 3, 0, 5, 1 },   // an empty expert between non-empty ones
        new long[] { 0, 0, 9, 0 },   // everything on one expert
        new long[] { 2, 2, 2, 2 },
        new long[] { 0, 0, 0, 0 },   // no rows at all (an expert rank that received nothing)
    };

    [Theory]
    [MemberData(nameof(GroupSizes))]
    public void Output_and_gradients_equal_one_matmul_per_group(long[] groupRows)
    {
        var rows = randn([groupRows.Sum(), 6], dtype: ScalarType.Float64, generator: Seeded(1)).requires_grad_(true);
        var weights = randn([groupRows.Length, 6, 5], dtype: ScalarType.Float64, generator: Seeded(2)).requires_grad_(true);
        var projection = randn([groupRows.Sum(), 5], dtype: ScalarType.Float64, generator: Seeded(3));

        var output = GroupedMatmul.Apply(rows, weights, groupRows);
        (output * projection).sum().backward();
        var gradients = TakeGradients(rows, weights);

        var pieces = new List<Tensor>();
        var start = 0L;
        for (var expert = 0; expert < groupRows.Length; expert++)
        {
            pieces.Add(rows.narrow(0, start, groupRows[expert]).matmul(weights[expert]));
            start += groupRows[expert];
        }

        var expected = cat(pieces, 0);
        (expected * projection).sum().backward();
        var expectedGradients = TakeGradients(rows, weights);

        AssertClose(expected, output, "output");
        AssertClose(expectedGradients[0], gradients[0], "gradient of the rows");
        AssertClose(expectedGradients[1], gradients[1], "gradient of the weights (zero for empty experts)");
    }

    [Fact]
    public void Refuses_group_sizes_that_do_not_cover_the_rows()
    {
        var rows = zeros([7, 6]);
        var weights = zeros([3, 6, 5]);

        var wrongSum = Assert.Throws<ArgumentException>(() => GroupedMatmul.Apply(rows, weights, [3, 3, 0]));
        Assert.Contains("summing to the 7 rows", wrongSum.Message);
        var wrongCount = Assert.Throws<ArgumentException>(() => GroupedMatmul.Apply(rows, weights, [7, 0]));
        Assert.Contains("must be 3 non-negative counts", wrongCount.Message);
        var wrongWidth = Assert.Throws<ArgumentException>(() => GroupedMatmul.Apply(zeros([7, 4]), weights, [7, 0, 0]));
        Assert.Contains("rows [n, in] and weights [experts, in, out]", wrongWidth.Message);
    }
}
