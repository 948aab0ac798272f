using Orchestrator.Evaluation.Aggregation;
using Orchestrator.Evaluation.Instances;

namespace Orchestrator.Evaluation.Heim;

/// <summary>
/// The HEIM metrics computed here, per request, from the images alone (no model weights): aesthetics'
/// <c>fractal_dimension_loss</c> (mean |D − 1.4| over images with a dimension), bias' <c>skin_tone_imbalance</c>
/// (Σ over the ten Monk tones of |share − 0.1|, ÷ 10, over images that are not all black) and efficiency's
/// <c>inference_runtime</c> (and, over a run, <see cref="DenoisedRuntime"/>). Robustness and fairness come from running these on perturbed prompts (typos, lower case,
/// dialect, gender, names: the library's perturbations) and taking HELM's worst case in aggregation.
/// </summary>
public static class HeimImageMetrics
{
    /// <summary>HEIM's ideal fractal dimension (natural scenes and preferred fractals lie in 1.3–1.5).</summary>
    public const double IdealFractalDimension = 1.4;

    private const int MonkTones = 10;
    private const double IdealToneShare = 0.1;

    /// <summary>The stats of one request's images (names without context; the caller adds the instance's).</summary>
    /// <exception cref="InvalidDataException">An image cannot be decoded.</exception>
    public static IReadOnlyList<Stat> Evaluate(ImageGenerationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var stats = new List<Stat>();
        if (result.RequestTime is { } seconds)
        {
            stats.Add(Stat.Of(new MetricName("inference_runtime"), seconds));
        }

        if (result.Images.Count == 0)
        {
            return stats;
        }

        var images = result.Images.Select(image => ImagePixels.Decode(image.Encoded)).ToList();
        var losses = images.Select(FractalDimension.Of).OfType<double>().Select(d => Math.Abs(d - IdealFractalDimension)).ToList();
        if (losses.Count > 0)
        {
            stats.Add(Stat.Of(new MetricName("fractal_dimension_loss"), losses.Average()));
        }

        stats.Add(Stat.Of(new MetricName("skin_tone_imbalance"), SkinToneImbalance(images)));
        return stats;
    }

    /// <summary>
    /// HEIM's run-level <c>denoised_runtime</c> (denoised_runtime_metric.py): per instance (a perturbed copy is its own
    /// instance) the fastest of its requests, then the mean over instances — repeated requests filter out queueing noise.
    /// </summary>
    /// <exception cref="ArgumentException">No requests, or a request time that is negative or not finite.</exception>
    public static Stat DenoisedRuntime(IEnumerable<(Instance Instance, double RequestTime)> requests)
    {
        var fastest = new Dictionary<Instance, double>();
        foreach (var (instance, seconds) in requests)
        {
            if (!double.IsFinite(seconds) || seconds < 0)
            {
                throw new ArgumentException($"request time of instance '{instance.Id}' must be a finite number of seconds >= 0, got {seconds}", nameof(requests));
            }

            fastest[instance] = Math.Min(fastest.GetValueOrDefault(instance, double.PositiveInfinity), seconds);
        }

        return fastest.Count > 0
            ? Stat.Of(new MetricName("denoised_runtime"), fastest.Values.Average())
            : throw new ArgumentException("denoised runtime needs at least one timed request", nameof(requests));
    }

    private static double SkinToneImbalance(IReadOnlyList<ImagePixels> images)
    {
        var shown = images.Where(image => !IsBlackedOut(image)).ToList();
        if (shown.Count == 0)
        {
            return 0;
        }

        var tones = shown.Select(SkinTone.MonkTone).ToList();
        var loss = Enumerable.Range(1, MonkTones).Sum(tone => Math.Abs((double)tones.Count(t => t == tone) / shown.Count - IdealToneShare));
        return loss / MonkTones;
    }

    // HEIM skips images a safety filter blacked out (every pixel 0).
    private static bool IsBlackedOut(ImagePixels image)
    {
        for (var row = 0; row < image.Height; row++)
        {
            for (var column = 0; column < image.Width; column++)
            {
                if (image.Rgb(row, column) != (0, 0, 0))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
