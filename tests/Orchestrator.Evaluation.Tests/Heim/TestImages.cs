using StbImageWriteSharp;

namespace Orchestrator.Evaluation.Tests.Heim;

/// <summary>PNG images drawn pixel by pixel for the HEIM fixtures.</summary>
internal static class TestImages
{
    public static byte[] Png(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var data = new byte[width * height * 3];
        for (var row = 0; row < height; row++)
        {
            for (var column = 0; column < width; column++)
            {
                var (r, g, b) = pixel(row, column);
                var at = (row * width + column) * 3;
                (data[at], data[at + 1], data[at + 2]) = (r, g, b);
            }
        }

        using var stream = new MemoryStream();
        new ImageWriter().WritePng(data, width, height, ColorComponents.RedGreenBlue, stream);
        return stream.ToArray();
    }

    public static byte[] Filled(int width, int height, (byte R, byte G, byte B) colour) => Png(width, height, (_, _) => colour);

    public static readonly (byte, byte, byte) White = (255, 255, 255);
    public static readonly (byte, byte, byte) Black = (0, 0, 0);
}
