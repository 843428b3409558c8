using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RedisRing.Proxy.Tls;

/// <summary>
/// How a peer's certificate is judged, as OpenSSL judges it in Redis: it must chain to one of the
/// configured CA certificates (and only to them: the system's roots are not trusted here), for the
/// purpose it is shown for; revocation is not checked (Redis does not either), nothing is downloaded.
/// </summary>
internal static class CertificateChainCheck
{
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>The chain policy the handshake builds the peer's chain with.</summary>
    public static X509ChainPolicy Policy(X509Certificate2Collection authorities, Oid purpose)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(authorities);
        policy.ApplicationPolicy.Add(purpose);
        return policy;
    }

    /// <summary>Null when the handshake's verdict (built on <see cref="Policy"/>) is good, else why not.</summary>
    public static string? Reason(SslPolicyErrors errors, X509Chain? chain)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return "no certificate";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return "the certificate does not name the address connected to";
        }

        var statuses = chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).ToList() ?? [];
        return statuses.Count > 0 ? string.Join("; ", statuses.Distinct()) : "the certificate is not signed by the CA file";
    }
}
