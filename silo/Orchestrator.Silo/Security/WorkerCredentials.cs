using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Silo.Security;

/// <summary>
/// Attempt secrets: <c>orchw_JOB.ATTEMPT.MAC</c> with MAC = HMAC-SHA256(cluster key, JOB/ATTEMPT). Nothing is stored:
/// any silo of the cluster checks one by recomputing its MAC, and it names the one attempt it is valid for.
/// </summary>
internal sealed class WorkerCredentials(byte[] key)
{
    public const string Prefix = "orchw_";

    public string For(string jobId, int attempt) => $"{Prefix}{jobId}.{attempt}.{AuthFile.Base64Url(Mac(jobId, attempt))}";

    /// <summary>The attempt <paramref name="secret"/> is valid for, or null when it is not a valid secret.</summary>
    public WorkerGrant? Verify(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var body = secret.AsSpan(Prefix.Length);
        var macAt = body.LastIndexOf('.');
        if (macAt < 0) return null;
        var head = body[..macAt];
        var attemptAt = head.LastIndexOf('.');
        if (attemptAt <= 0 || !int.TryParse(head[(attemptAt + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var attempt))
            return null;
        var jobId = head[..attemptAt].ToString();
        var expected = Encoding.ASCII.GetBytes(AuthFile.Base64Url(Mac(jobId, attempt)));
        var given = Encoding.ASCII.GetBytes(body[(macAt + 1)..].ToString());
        return CryptographicOperations.FixedTimeEquals(expected, given) ? new WorkerGrant(jobId, attempt) : null;
    }

    private byte[] Mac(string jobId, int attempt) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(FormattableString.Invariant($"attempt\n{jobId}\n{attempt}")));
}
