namespace Orchestrator.Workloads.Tests.Checkpointing;

/// <summary>
/// Compares loss sequences within a tolerance. Two runs of the same layout need not agree to the last bit: the CPU
/// math library may pick another kernel (thread count, buffer alignment) from one run to the next.
/// </summary>
internal static class LossAssert
{
    public static void Close(IEnumerable<double> expected, IEnumerable<double> actual, double tolerance, string context = "")
    {
        var e = expected.ToList();
        var a = actual.ToList();
        Assert.True(e.Count == a.Count, $"{context} {a.Count} losses, expected {e.Count}");
        for (var i = 0; i < e.Count; i++)
        {
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"{context} loss {i}: {a[i]}, expected {e[i]} within {tolerance}");
        }
    }
}
