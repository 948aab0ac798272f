using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Silo.Transport;

/// <summary>
/// The certificates a CA has revoked, from its certificate revocation lists (RFC 5280, section 5) in a file: PEM
/// (<c>-----BEGIN X509 CRL-----</c>, one block per CA) or one DER list. Each list must be signed by one of the
/// configured authorities. Parsed here because .NET consults revocation lists only through a certificate's
/// distribution points or its own cache, never from a file it is given; the structure is read with
/// <see cref="AsnReader"/> and the signature checked with the CA's public key.
/// </summary>
internal sealed class RevocationList
{
    private readonly IReadOnlyDictionary<string, IssuerList> _byIssuer;

    private RevocationList(IReadOnlyDictionary<string, IssuerList> byIssuer) => _byIssuer = byIssuer;

    /// <summary>The earliest time by which a CA promised its next list; a later time means the file is stale.</summary>
    public DateTimeOffset? NextUpdate => _byIssuer.Values.Min(l => l.NextUpdate);

    /// <summary>How many certificates the lists revoke.</summary>
    public int Count => _byIssuer.Values.Sum(l => l.Serials.Count);

    /// <summary>Whether a list of <paramref name="certificate"/>'s issuer revokes it (by serial number).</summary>
    public bool Revokes(X509Certificate2 certificate) =>
        _byIssuer.TryGetValue(Convert.ToHexString(certificate.IssuerName.RawData), out var list) && list.Serials.Contains(Convert.ToHexString(certificate.SerialNumberBytes.Span));

    /// <exception cref="ArgumentException">The file is unreadable, not a revocation list, or not signed by one of <paramref name="authorities"/>; the message names <paramref name="setting"/>.</exception>
    public static RevocationList Load(string path, X509Certificate2Collection authorities, string setting)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{setting}: '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(content, path, authorities, setting);
    }

    /// <exception cref="ArgumentException">See <see cref="Load"/>.</exception>
    public static RevocationList Parse(byte[] content, string path, X509Certificate2Collection authorities, string setting)
    {
        var lists = new Dictionary<string, IssuerList>();
        try
        {
            foreach (var der in DerBlocks(content))
            {
                var list = IssuerList.Read(der, authorities);
                lists[list.Issuer] = list;
            }
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or FormatException or InvalidDataException)
        {
            throw new ArgumentException($"{setting}: '{path}' is not a certificate revocation list signed by the CA: {e.Message}", e);
        }

        if (lists.Count == 0) throw new ArgumentException($"{setting}: '{path}' holds no certificate revocation list (PEM 'X509 CRL' blocks or one DER list)");
        return new RevocationList(lists);
    }

    private static IEnumerable<byte[]> DerBlocks(byte[] content)
    {
        var text = System.Text.Encoding.ASCII.GetString(content);
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal)) return [content];
        var blocks = new List<byte[]>();
        for (var rest = text.AsSpan(); PemEncoding.TryFind(rest, out var found); rest = rest[found.Location.End.Value..])
        {
            if (rest[found.Label].SequenceEqual("X509 CRL")) blocks.Add(Convert.FromBase64String(rest[found.Base64Data].ToString()));
        }

        return blocks;
    }

    /// <summary>One CA's list: its issuer (the encoded name), the revoked serial numbers, and when the next is due.</summary>
    private sealed record IssuerList(string Issuer, HashSet<string> Serials, DateTimeOffset? NextUpdate)
    {
        // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
        public static IssuerList Read(byte[] der, X509Certificate2Collection authorities)
        {
            var certificateList = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var signed = certificateList.ReadEncodedValue();
            var algorithm = certificateList.ReadSequence().ReadObjectIdentifier();
            var signature = certificateList.ReadBitString(out _);

            // TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature AlgorithmIdentifier, issuer Name,
            //   thisUpdate Time, nextUpdate Time OPTIONAL, revokedCertificates SEQUENCE OF SEQUENCE { userCertificate
            //   INTEGER, revocationDate Time, crlEntryExtensions OPTIONAL } OPTIONAL, crlExtensions [0] OPTIONAL }
            var tbs = new AsnReader(signed, AsnEncodingRules.DER).ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)) tbs.ReadInteger();
            tbs.ReadSequence();
            var issuer = tbs.ReadEncodedValue().ToArray();
            ReadTime(tbs);
            DateTimeOffset? nextUpdate = tbs.HasData && IsTime(tbs.PeekTag()) ? ReadTime(tbs) : null;
            var serials = new HashSet<string>(StringComparer.Ordinal);
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var revoked = tbs.ReadSequence();
                while (revoked.HasData) serials.Add(Convert.ToHexString(revoked.ReadSequence().ReadIntegerBytes().Span));
            }

            var authority = authorities.FirstOrDefault(a => a.SubjectName.RawData.AsSpan().SequenceEqual(issuer))
                ?? throw new InvalidDataException($"it is issued by '{new X500DistinguishedName(issuer).Name}', not by a CA in the CA file");
            if (!Verifies(authority, algorithm, signed.Span, signature))
                throw new InvalidDataException($"its signature does not verify with the key of '{authority.Subject}'");
            return new IssuerList(Convert.ToHexString(issuer), serials, nextUpdate);
        }

        private static bool IsTime(Asn1Tag tag) => tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

        private static DateTimeOffset ReadTime(AsnReader reader) =>
            reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

        private static bool Verifies(X509Certificate2 authority, string algorithm, ReadOnlySpan<byte> signed, byte[] signature)
        {
            var (hash, ecdsa) = algorithm switch
            {
                "1.2.840.10045.4.3.2" => (HashAlgorithmName.SHA256, true),
                "1.2.840.10045.4.3.3" => (HashAlgorithmName.SHA384, true),
                "1.2.840.10045.4.3.4" => (HashAlgorithmName.SHA512, true),
                "1.2.840.113549.1.1.11" => (HashAlgorithmName.SHA256, false),
                "1.2.840.113549.1.1.12" => (HashAlgorithmName.SHA384, false),
                "1.2.840.113549.1.1.13" => (HashAlgorithmName.SHA512, false),
                _ => throw new InvalidDataException($"its signature algorithm {algorithm} is not one of ECDSA or RSA PKCS#1 v1.5 with SHA-256, -384 or -512"),
            };
            if (ecdsa)
            {
                using var key = authority.GetECDsaPublicKey() ?? throw new InvalidDataException($"it is signed with ECDSA but '{authority.Subject}' has no ECDSA key");
                return key.VerifyData(signed, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
            }

            using var rsa = authority.GetRSAPublicKey() ?? throw new InvalidDataException($"it is signed with RSA but '{authority.Subject}' has no RSA key");
            return rsa.VerifyData(signed, signature, hash, RSASignaturePadding.Pkcs1);
        }
    }
}
