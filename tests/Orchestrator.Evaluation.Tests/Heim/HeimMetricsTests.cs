using Orchestrator.Evaluation.Heim;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Tests.Heim;

/// <summary>HEIM's image-level metrics on images whose values are worked out by hand from HEIM's definitions.</summary>
public sealed class HeimMetricsTests
{
    // 16×16: box sizes 16, 8, 4.
    public static TheoryData<string, byte[], double> FractalFixtures() => new()
    {
        // A dark diagonal: 1, 2, 4 boxes neither empty nor full → slope −1 → D = 1.
        { "diagonal", TestImages.Png(16, 16, (r, c) => r == c ? TestImages.Black : TestImages.White), 1.0 },
        // A pixel checkerboard: every box half full → 1, 4, 16 boxes → D = 2.
        { "checkerboard", TestImages.Png(16, 16, (r, c) => (r + c) % 2 == 0 ? TestImages.Black : TestImages.White), 2.0 },
        // A dark 3×3 corner: one partly filled box at every size → D = 0.
        { "corner", TestImages.Png(16, 16, (r, c) => r < 3 && c < 3 ? TestImages.Black : TestImages.White), 0.0 },
    };

    [Theory]
    [MemberData(nameof(FractalFixtures))]
    public void Fractal_dimension_by_box_counting(string name, byte[] png, double dimension)
    {
        var result = HeimImageMetrics.Evaluate(new ImageGenerationResult([new GeneratedImage(png)], null));

        var loss = Assert.Single(result, s => s.Name.Name == "fractal_dimension_loss");
        Assert.True(Math.Abs(Math.Abs(dimension - HeimImageMetrics.IdealFractalDimension) - loss.Mean!.Value) < 1e-12, $"{name}: {loss.Mean}");
    }

    [Fact]
    public void An_all_white_image_has_no_dimension_and_no_loss()
    {
        var result = HeimImageMetrics.Evaluate(new ImageGenerationResult([new GeneratedImage(TestImages.Filled(16, 16, TestImages.White))], 0.5));

        Assert.DoesNotContain(result, s => s.Name.Name == "fractal_dimension_loss");
        Assert.Equal(0.5, Assert.Single(result, s => s.Name.Name == "inference_runtime").Mean);
    }

    private static readonly (byte, byte, byte) Skin = (200, 150, 120);
    private static readonly (byte, byte, byte) Blue = (0, 0, 255);

    public static TheoryData<string, byte[][], double> SkinToneFixtures() => new()
    {
        // (200,150,120) passes every skin rule (Y 162, Cr 155, Cb 104); HEIM compares (B,G,R) = (120,150,200) with the Monk
        // tones: nearest is Monk 06 (160,126,86) at L1 distance 178. One image on one tone: (|1 − .1| + 9·.1)/10 = 0.18.
        { "one skin image", [TestImages.Filled(8, 8, Skin)], 0.18 },
        // Plus a blue image with no skin pixels (unknown tone): Monk 06 share 1/2 → (|.5 − .1| + 9·.1)/10 = 0.13.
        { "skin and no skin", [TestImages.Filled(8, 8, Skin), TestImages.Filled(8, 8, Blue)], 0.13 },
        // A blacked-out image is skipped; with none left the loss is 0.
        { "blacked out", [TestImages.Filled(8, 8, TestImages.Black)], 0.0 },
    };

    [Theory]
    [MemberData(nameof(SkinToneFixtures))]
    public void Skin_tone_imbalance_over_the_monk_scale(string name, byte[][] pngs, double imbalance)
    {
        var result = HeimImageMetrics.Evaluate(new ImageGenerationResult([.. pngs.Select(p => new GeneratedImage(p))], null));

        var stat = Assert.Single(result, s => s.Name.Name == "skin_tone_imbalance");
        Assert.True(Math.Abs(imbalance - stat.Mean!.Value) < 1e-12, $"{name}: {stat.Mean}");
    }

    public static TheoryData<string, (string Id, string? Perturbation, double Seconds)[], double> DenoisedFixtures() => new()
    {
        // Two requests of one instance: the fastest, 1.
        { "fastest of one instance", [("a", null, 3), ("a", null, 1)], 1 },
        // Mean over instances of each one's fastest: (2 + 6) / 2.
        { "mean over instances", [("a", null, 2), ("a", null, 4), ("b", null, 6)], 4 },
        // A perturbed copy is its own instance: (1 + 3) / 2.
        { "perturbed copy", [("a", null, 1), ("a", "typos", 3)], 2 },
    };

    [Theory]
    [MemberData(nameof(DenoisedFixtures))]
    public void Denoised_runtime_is_the_mean_of_each_instances_fastest_request(string name, (string Id, string? Perturbation, double Seconds)[] requests, double expected)
    {
        var stat = HeimImageMetrics.DenoisedRuntime(requests.Select(r => (
            new Instance(r.Id, "a lighthouse", [], Splits.Test, Perturbation: r.Perturbation is null ? null : new PerturbationDescription(r.Perturbation, true, false)),
            r.Seconds)));

        Assert.Equal("denoised_runtime", stat.Name.Name);
        Assert.True(Math.Abs(expected - stat.Mean!.Value) < 1e-12, $"{name}: {stat.Mean}");
    }

    [Fact]
    public void Undecodable_images_are_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            HeimImageMetrics.Evaluate(new ImageGenerationResult([new GeneratedImage([1, 2, 3, 4])], null)));
        Assert.Contains("could not be decoded", error.Message);
    }
}
