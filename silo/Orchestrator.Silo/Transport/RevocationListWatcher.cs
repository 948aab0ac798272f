using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Silo.Transport;

/// <summary>
/// Reads the revocation list file again every <see cref="TransportSecurityOptions.CrlReloadInterval"/> and puts a
/// changed one in force without a restart (a CA publishes a new list on each revocation and at every
/// <c>nextUpdate</c>). Polled rather than watched for the reason the auth file is (a mounted Secret changes by a
/// symbolic-link swap). A file that cannot be read, parsed or verified is reported and the lists in force are kept: a
/// half-written file must not let revoked certificates back in, nor lock every peer out. A list past its
/// <c>nextUpdate</c> is still applied, with a warning each time the file is read.
/// </summary>
internal sealed partial class RevocationListWatcher(CertificateRevocations revocations, TransportIdentity identity, TimeProvider clock, ILogger<RevocationListWatcher> logger)
    : BackgroundService
{
    private byte[]? _applied;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(identity.Options.CrlReloadInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken)) Poll();
    }

    private void Poll()
    {
        var path = revocations.Path;
        try
        {
            var content = File.ReadAllBytes(path);
            var fingerprint = SHA256.HashData(content);
            if (_applied is null || !fingerprint.AsSpan().SequenceEqual(_applied))
            {
                revocations.Replace(RevocationList.Parse(content, path, revocations.Authorities, "Orchestrator:Tls:CrlFile"));
                _applied = fingerprint;
                LogApplied(path, revocations.Current.Count);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogUnusable(path, e.Message);
        }

        if (revocations.Current.NextUpdate is { } due && due < clock.GetUtcNow()) LogStale(path, due);
    }

    [LoggerMessage(EventId = 9031, Level = LogLevel.Information, Message = "revocation list {Path} in force: {Count} revoked certificate(s)")]
    private partial void LogApplied(string path, int count);

    [LoggerMessage(EventId = 9032, Level = LogLevel.Error, Message = "revocation list {Path} could not be applied, the lists in force are kept: {Problem}")]
    private partial void LogUnusable(string path, string problem);

    [LoggerMessage(EventId = 9033, Level = LogLevel.Warning, Message = "revocation list {Path} was due to be replaced by {Due}: publish the CA's current list")]
    private partial void LogStale(string path, DateTimeOffset due);
}
