namespace Orchestrator.Planning.Topology;

/// <summary>The link that traffic crossing one topology level uses, per GPU and per direction.</summary>
/// <param name="BandwidthGBps">Bandwidth per GPU, one way, in GB/s (10^9 bytes per second).</param>
/// <param name="LatencyMicroseconds">One-way latency of a message in microseconds.</param>
public sealed record LinkProfile(double BandwidthGBps, double LatencyMicroseconds)
{
    /// <summary>Seconds to move <paramref name="bytes"/> one way over this link: latency plus size over bandwidth.</summary>
    public double TransferSeconds(double bytes) => LatencyMicroseconds * 1e-6 + bytes / (BandwidthGBps * 1e9);
}
