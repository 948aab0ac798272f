using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Benchmarks;

/// <summary>Ports the kernel hands out on loopback, so that two suites (or two people's runs) never bind the same one.</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
