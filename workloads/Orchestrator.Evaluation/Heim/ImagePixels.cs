using StbImageSharp;

namespace Orchestrator.Evaluation.Heim;

/// <summary>
/// A decoded image as 8-bit RGB rows (StbImageSharp decodes PNG, JPEG, BMP, GIF), with OpenCV's 8-bit colour
/// conversions that HEIM's metrics use (fixed-point BT.601: <c>cvtColor</c> to grey and to YCrCb).
/// </summary>
internal sealed class ImagePixels
{
    private const int Shift = 14;
    private const int Half = 1 << (Shift - 1);
    private const int CoefficientB = 1868;
    private const int CoefficientG = 9617;
    private const int CoefficientR = 4899;
    private const int CoefficientCr = 11682;
    private const int CoefficientCb = 9241;
    private const int Delta = 128 << Shift;

    private readonly byte[] _rgb;

    private ImagePixels(byte[] rgb, int width, int height)
    {
        _rgb = rgb;
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    /// <exception cref="InvalidDataException">The bytes are not an image StbImageSharp can decode.</exception>
    public static ImagePixels Decode(byte[] encoded)
    {
        try
        {
            var image = ImageResult.FromMemory(encoded, ColorComponents.RedGreenBlue);
            return new ImagePixels(image.Data, image.Width, image.Height);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"generated image ({encoded.Length} bytes) could not be decoded: {e.Message}", e);
        }
    }

    public (byte R, byte G, byte B) Rgb(int row, int column)
    {
        var at = (row * Width + column) * 3;
        return (_rgb[at], _rgb[at + 1], _rgb[at + 2]);
    }

    /// <summary>OpenCV's grey level: (4899 R + 9617 G + 1868 B + 2¹³) ≫ 14.</summary>
    public int Grey(int row, int column)
    {
        var (r, g, b) = Rgb(row, column);
        return Descale((r * CoefficientR) + (g * CoefficientG) + (b * CoefficientB));
    }

    /// <summary>OpenCV's 8-bit YCrCb: Y as grey, Cr = (R − Y)·0.713 + 128, Cb = (B − Y)·0.564 + 128, fixed point, clamped.</summary>
    public (int Y, int Cr, int Cb) YCrCb(int row, int column)
    {
        var (r, _, b) = Rgb(row, column);
        var y = Grey(row, column);
        return (y, Math.Clamp(Descale(((r - y) * CoefficientCr) + Delta), 0, 255), Math.Clamp(Descale(((b - y) * CoefficientCb) + Delta), 0, 255));
    }

    private static int Descale(int value) => (value + Half) >> Shift;
}
