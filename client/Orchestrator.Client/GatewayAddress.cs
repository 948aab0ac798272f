using System.Globalization;
using System.Net;

namespace Orchestrator.Client;

/// <summary>Parses <c>host:port</c> gateway addresses.</summary>
public static class GatewayAddress
{
    /// <summary>Parses one address; <c>localhost</c> means the IPv4 loopback.</summary>
    /// <exception cref="ArgumentException">Not of the form host:port with a port in 1-65535.</exception>
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new ArgumentException($"gateway '{text}' must be host:port with a port between 1 and 65535");
        var host = text[..colon];
        if (host == "localhost") return new IPEndPoint(IPAddress.Loopback, port);
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address)) return new IPEndPoint(address, port);
        var resolved = Dns.GetHostAddresses(host);
        return resolved.Length > 0 ? new IPEndPoint(resolved[0], port) : throw new ArgumentException($"gateway host '{host}' does not resolve");
    }

    /// <summary>The host part of <c>host:port</c> (without IPv6 brackets): the name a TLS gateway's certificate must hold.</summary>
    /// <exception cref="ArgumentException">Not of the form host:port.</exception>
    public static string Host(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 ? text[..colon].Trim('[', ']') : throw new ArgumentException($"gateway '{text}' must be host:port with a port between 1 and 65535");
    }

    /// <summary>True when something accepts TCP connections at the address within <paramref name="timeout"/>.</summary>
    public static async Task<bool> AnswersAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var socket = new System.Net.Sockets.Socket(endpoint.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, linked.Token);
            return true;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
