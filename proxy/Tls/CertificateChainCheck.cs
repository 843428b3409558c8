using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RedisRing.Proxy.Tls;

/// <summary>
/// Whether a peer's certificate chains to one of the configured CA certificates (and only to
/// them: the system's roots are not trusted here), for the purpose it is shown for, as OpenSSL
/// checks it in Redis. Revocation is not checked (Redis does not either).
/// </summary>
internal static class CertificateChainCheck
{
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>Null when <paramref name="certificate"/> is trusted, else why not.</summary>
    public static string? Verify(X509Certificate certificate, X509Chain? presented, X509Certificate2Collection authorities, Oid purpose)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(purpose);
        if (presented is not null)
        {
            // The intermediates the peer sent with its certificate.
            foreach (var element in presented.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (chain.Build(leaf))
        {
            return null;
        }

        return string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("not trusted"));
    }

    /// <summary>The validation callback's reading of a missing certificate or a name that does not match.</summary>
    public static string? Describe(SslPolicyErrors errors, bool checkName) =>
        (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0 ? "no certificate"
        : checkName && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 ? "certificate name does not match the node's address"
        : null;
}
