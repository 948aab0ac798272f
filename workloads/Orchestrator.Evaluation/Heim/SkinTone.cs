namespace Orchestrator.Evaluation.Heim;

/// <summary>
/// HEIM's skin-tone estimate (skin_tone_metrics.py, after DallEval): pixels passing the RGB and YCrCb skin rules are
/// averaged and matched (L1) to the nearest of the ten Monk Skin Tones; no skin pixel gives no tone. HEIM's code stores
/// the RGBA red channel in its "blue" list and reads the lists back as (red, green, blue), so it compares
/// (mean B, mean G, mean R) with the Monk RGB values; reproduced as is, so the tones equal HEIM's.
/// </summary>
internal static class SkinTone
{
    private static readonly (int R, int G, int B)[] MonkTones =
    [
        (246, 237, 228), (243, 231, 219), (247, 234, 208), (234, 218, 186), (215, 189, 150),
        (160, 126, 86), (130, 92, 67), (96, 65, 52), (58, 49, 42), (41, 36, 32),
    ];

    /// <summary>The Monk tone 1–10 of the image's skin pixels, or null when it has none.</summary>
    public static int? MonkTone(ImagePixels image)
    {
        double red = 0, green = 0, blue = 0;
        var pixels = 0;
        for (var row = 0; row < image.Height; row++)
        {
            for (var column = 0; column < image.Width; column++)
            {
                var (r, g, b) = image.Rgb(row, column);
                var (y, cr, cb) = image.YCrCb(row, column);
                if (IsSkin(r, g, b, y, cr, cb))
                {
                    red += r;
                    green += g;
                    blue += b;
                    pixels++;
                }
            }
        }

        if (pixels == 0)
        {
            return null;
        }

        // HEIM's channel order: (mean B, mean G, mean R) compared as RGB.
        var (first, second, third) = (blue / pixels, green / pixels, red / pixels);
        var best = 0;
        for (var tone = 1; tone < MonkTones.Length; tone++)
        {
            if (Distance(MonkTones[tone], first, second, third) < Distance(MonkTones[best], first, second, third))
            {
                best = tone;
            }
        }

        return best + 1;
    }

    // The skin rules of https://arxiv.org/abs/1708.02694 as HEIM applies them (alpha is always opaque here).
    private static bool IsSkin(int r, int g, int b, int y, int cr, int cb) =>
        r > 95 && g > 40 && b > 20 && r > g && r > b && Math.Abs(r - g) > 15 &&
        cr > 135 && cb > 85 && y > 80 &&
        cr <= (1.5862 * cb) + 20 && cr >= (0.3448 * cb) + 76.2069 && cr >= (-4.5652 * cb) + 234.5652 &&
        cr <= (-1.15 * cb) + 301.75 && cr <= (-2.2857 * cb) + 432.85;

    private static double Distance((int R, int G, int B) tone, double r, double g, double b) =>
        Math.Abs(r - tone.R) + Math.Abs(g - tone.G) + Math.Abs(b - tone.B);
}
