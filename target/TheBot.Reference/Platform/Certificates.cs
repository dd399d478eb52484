using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TheBot.Reference.Platform;

/// <summary>
/// A per-run certificate authority and a server certificate it signs, as certbot would provide
/// in production. The CA is exported as PEM (ca.pem) so the gate can trust exactly this run.
/// </summary>
public static class Certificates
{
    public static X509Certificate2 CreateServerCertificate(PlatformOptions options)
    {
        Directory.CreateDirectory(options.CertificateDirectory);
        var now = DateTimeOffset.UtcNow;

        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=THE_BOT Reference Run CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-365), now.AddYears(2)); // older than any leaf it signs

        // weak-certificate-key: an old 1024-bit key carried over; sha1-certificate-signature: an
        // issuer that still signs with SHA-1. Both only load when the process's OpenSSL policy allows them.
        using var serverKey = RSA.Create(options.Faults.Has(Fault.WeakCertificateKey) ? 1024 : 2048);
        var serverRequest = new CertificateRequest($"CN={(options.Faults.Has(Fault.HostnameMismatchCertificate) ? MismatchName : options.BindAddress)}", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serverRequest.PublicKey, false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var host in SubjectNames(options))
        {
            if (IPAddress.TryParse(host, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(host);
        }
        serverRequest.CertificateExtensions.Add(san.Build());

        // Let's Encrypt's lifetime; expired-certificate: a renewal that never ran.
        var (notBefore, notAfter) = options.Faults.Has(Fault.ExpiredCertificate)
            ? (now.AddDays(-91), now.AddDays(-1))
            : (now.AddDays(-1), now.AddDays(90));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var leaf = options.Faults.Has(Fault.Sha1CertificateSignature)
            ? serverRequest.Create(ca.SubjectName, new Sha1RsaSignatureGenerator(caKey), notBefore, notAfter, serial)
            : serverRequest.Create(ca, notBefore, notAfter, serial);
        var withKey = leaf.CopyWithPrivateKey(serverKey);

        // PEM blocks end without a newline: join them explicitly, or readers see a "bad end line".
        File.WriteAllText(Path.Combine(options.CertificateDirectory, "ca.pem"), ca.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(options.CertificateDirectory, "server.pem"), withKey.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(options.CertificateDirectory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(options.CertificateDirectory, "server.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // Kestrel on Linux needs an exportable key in a PFX round trip.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>hostname-mismatch-certificate: a certificate issued for another site only.</summary>
    public const string MismatchName = "wrong-host.thebot.invalid";

    private static IEnumerable<string> SubjectNames(PlatformOptions options) =>
        options.Faults.Has(Fault.HostnameMismatchCertificate)
            ? [MismatchName]
            : new[] { options.BindAddress }.Concat(options.AllowedHosts).Distinct(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// sha1-certificate-signature: .NET refuses SHA-1 in its own RSA signature generator, so the
/// misbehaving issuer writes sha1WithRSAEncryption itself.
/// </summary>
internal sealed class Sha1RsaSignatureGenerator(RSA issuerKey) : X509SignatureGenerator
{
    // AlgorithmIdentifier { sha1WithRSAEncryption (1.2.840.113549.1.1.5), NULL }
    private static readonly byte[] Sha1WithRsa = [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05, 0x05, 0x00];

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => Sha1WithRsa;

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
        issuerKey.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);

    protected override PublicKey BuildPublicKey() => CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1).PublicKey;
}
