using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RedisRing.Testing;

/// <summary>
/// A throwaway certificate authority for TLS tests, made in memory (no openssl, no key in the
/// repository): it issues server certificates for 127.0.0.1 and localhost and client
/// certificates, and writes each as PEM files into a folder of the test's.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey;

    public TestCertificates(string folder, string caName = "RedisRing test CA")
    {
        Folder = folder;
        System.IO.Directory.CreateDirectory(folder);
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CaFile = Path.Combine(folder, "ca.crt");
        File.WriteAllText(CaFile, Authority.ExportCertificatePem() + "\n");
    }

    public string Folder { get; }

    /// <summary>The CA certificate (public part), to trust in a client.</summary>
    public X509Certificate2 Authority { get; }

    public string CaFile { get; }

    /// <summary>A server certificate for 127.0.0.1 and localhost, written to NAME.crt and NAME.key.</summary>
    public IssuedCertificate IssueServer(string name = "server") =>
        Issue(name, "CN=" + name, serverAuth: true);

    /// <summary>A client certificate, written to NAME.crt and NAME.key.</summary>
    public IssuedCertificate IssueClient(string name = "client") =>
        Issue(name, "CN=" + name, serverAuth: false);

    public void Dispose()
    {
        _caKey.Dispose();
        Authority.Dispose();
    }

    private IssuedCertificate Issue(string name, string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(Authority.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        var withKey = certificate.CopyWithPrivateKey(key);
        var issued = new IssuedCertificate(withKey, Path.Combine(Folder, name + ".crt"), Path.Combine(Folder, name + ".key"));
        issued.WriteFiles();
        return issued;
    }
}

/// <summary>A certificate with its private key and the PEM files it was written to.</summary>
public sealed record IssuedCertificate(X509Certificate2 Certificate, string CertFile, string KeyFile)
{
    public string Thumbprint => Certificate.Thumbprint;

    /// <summary>Writes the PEM files (again), each whole through a rename, as a deployment tool would.</summary>
    public void WriteFiles() => WriteFilesTo(CertFile, KeyFile);

    /// <summary>Writes this certificate's PEM files over other paths (a renewal in place).</summary>
    public void WriteFilesTo(string certFile, string keyFile)
    {
        Replace(certFile, Certificate.ExportCertificatePem() + "\n");
        Replace(keyFile, Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static void Replace(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
