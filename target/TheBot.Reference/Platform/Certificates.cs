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

        using var serverKey = RSA.Create(2048);
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
        using var leaf = serverRequest.Create(ca, notBefore, notAfter, serial);
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
