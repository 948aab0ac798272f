using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Reads the auth file again every <see cref="SecurityOptions.AuthReloadInterval"/> and, when its content changed,
/// hands the new tokens to the <see cref="Authenticator"/>: tokens added with <c>orch token create</c> work and tokens
/// removed with <c>orch token revoke</c> are refused without a restart. It polls the content rather than watching for
/// file events: a mounted Kubernetes Secret is updated by the kubelet swapping a symbolic link, which file watchers do
/// not reliably report, and a poll of one small file costs nothing. A file that cannot be read or parsed is reported
/// and the tokens in force are kept (a half-edited file must not lock everyone out or let everyone in).
/// </summary>
internal sealed partial class AuthFileWatcher(Authenticator authenticator, IOptions<SecurityOptions> options, ILogger<AuthFileWatcher> logger) : BackgroundService
{
    private byte[]? _applied;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = options.Value.AuthFile!;
        // The first poll applies the file as it is then, so a change made while the silo was starting is not missed.
        using var timer = new PeriodicTimer(options.Value.AuthReloadInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken)) Poll(path);
    }

    private void Poll(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(path, e.Message);
            return;
        }

        var fingerprint = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        if (_applied is not null && fingerprint.AsSpan().SequenceEqual(_applied)) return;
        try
        {
            var document = AuthFile.Parse(text, path);
            if (!authenticator.Reload(document)) LogKeyChanged(path);
            LogReloaded(path, document.Tokens.Count);
            _applied = fingerprint;
        }
        catch (ArgumentException e)
        {
            LogUnreadable(path, e.Message);
        }
    }

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "auth file {Path} changed: {Tokens} token(s) in force from now on")]
    private partial void LogReloaded(string path, int tokens);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Error, Message = "auth file {Path} could not be applied, the tokens in force are kept: {Problem}")]
    private partial void LogUnreadable(string path, string problem);

    [LoggerMessage(EventId = 9012, Level = LogLevel.Warning, Message = "auth file {Path} names another cluster key: its tokens are applied, but the key changes only when every silo restarts")]
    private partial void LogKeyChanged(string path);
}
