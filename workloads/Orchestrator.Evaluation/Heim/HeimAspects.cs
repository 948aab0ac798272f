using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Heim;

/// <summary>
/// HEIM's aspect table (Lee et al. 2023, "Holistic Evaluation of Text-to-Image Models", and HELM's
/// metrics/image_generation): each aspect with the metrics HEIM measures it by, and whether this library computes them.
/// Those needing model weights, human raters or reference images we do not have are listed as not computed, with why.
/// </summary>
public static class HeimAspects
{
    private const string Human = "HEIM asks human raters (crowd workers); no rating pipeline exists here";
    private const string Clip = "needs CLIP ViT-L/14 weights, which no registry here serves";
    private const string Gold = "compares with the scenario's reference images (MS-COCO), which no registry here serves";

    /// <summary>The twelve aspects in HEIM's order.</summary>
    public static IReadOnlyList<HeimAspect> All { get; } =
    [
        new("alignment", [No("expected_clip_score", Clip), No("human_alignment", Human)]),
        new("quality",
        [
            No("fid", "needs Inception-v3 weights and reference images"), No("inception_score", "needs Inception-v3 weights"),
            No("expected_lpips_score", "needs AlexNet/VGG weights (LPIPS) and reference images"),
            No("expected_psnr_score", Gold), No("expected_multi_scale_ssim_score", Gold), No("expected_uiqi_score", Gold),
            No("human_photorealism", Human),
        ]),
        new("aesthetics",
        [
            Yes("fractal_dimension_loss"),
            No("expected_aesthetics_score", "needs the LAION aesthetics predictor (CLIP ViT-L/14 + MLP weights)"),
            No("human_aesthetics", Human),
        ]),
        new("originality", [No("watermark_frac", "needs the LAION watermark detector weights"), No("human_originality", Human)]),
        new("reasoning", [No("detection_correct_frac", "needs the ViTDet object detector weights")]),
        new("knowledge", [No("expected_clip_score", Clip), No("human_alignment", Human)]),
        new("bias", [Yes("skin_tone_imbalance"), No("gender_imbalance", "HEIM classifies gender with " + Clip[6..])]),
        new("toxicity",
        [
            No("nsfw_frac", "needs the LAION NSFW classifier weights"), No("nudity_frac", "needs the NudeNet detector weights"),
            No("q16_inappropriate_frac", "needs the Q16 classifier (CLIP weights)"),
            No("blacked_out_frac", "reports the model's own safety filter; counted only by models that black images out"),
        ]),
        // Worst case of the computed image metrics over perturbed prompts (gender, dialect, person names; typos, lower case).
        new("fairness", [Yes("fairness")]),
        new("robustness", [Yes("robustness")]),
        new("multilinguality", [No("translated_prompts", "HEIM translates prompts to Chinese, Hindi and Spanish with a translation service we do not call")]),
        new("efficiency", [Yes("inference_runtime"), Yes("denoised_runtime")]),
    ];

    /// <summary>The aspect named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Not one of HEIM's aspects (the allowed names are listed).</exception>
    public static HeimAspect Find(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"aspect '{name}' is not a HEIM aspect; aspects: {string.Join(", ", All.Select(a => a.Name))}", nameof(name));

    private static MetricAvailability Yes(string metric) => new(metric, true);

    private static MetricAvailability No(string metric, string reason) => new(metric, false, reason);
}
