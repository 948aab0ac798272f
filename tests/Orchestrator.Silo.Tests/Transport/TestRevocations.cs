using System.Numerics;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Silo.Tests.Transport;

/// <summary>Certificate revocation lists made for a test, signed by a test CA with .NET's own list builder.</summary>
internal static class TestRevocations
{
    /// <summary>The CA at <paramref name="caFile"/> with its key (written beside it).</summary>
    public static X509Certificate2 Authority(string caFile) => X509Certificate2.CreateFromPemFile(caFile, Path.ChangeExtension(caFile, ".key"));

    /// <summary>A DER list of the CA at <paramref name="caFile"/> revoking the serial numbers <paramref name="revoked"/>.</summary>
    public static byte[] List(string caFile, IEnumerable<byte[]> revoked, int number = 1)
    {
        using var authority = Authority(caFile);
        var builder = new CertificateRevocationListBuilder();
        foreach (var serial in revoked) builder.AddEntry(serial, DateTimeOffset.UtcNow.AddMinutes(-1));
        return builder.Build(authority, new BigInteger(number), DateTimeOffset.UtcNow.AddDays(1), System.Security.Cryptography.HashAlgorithmName.SHA256);
    }

    public static byte[] SerialOf(string certificateFile) => X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile)).SerialNumberBytes.ToArray();

    /// <summary>The list as PEM, as a CA tool writes it.</summary>
    public static string Pem(byte[] der) => new(System.Security.Cryptography.PemEncoding.Write("X509 CRL", der));
}
