using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RedisRing.Proxy.Tls;

/// <summary>
/// One loaded set of the TLS files: what a handshake needs, immutable; a reload builds a new one
/// and swaps it in, and each connection keeps the one it was accepted with.
/// </summary>
internal sealed class ServerCredentials(X509Certificate2 certificate, SslStreamCertificateContext context, X509Certificate2Collection? authorities, string fileContents)
{
    public X509Certificate2 Certificate { get; } = certificate;

    /// <summary>The certificate with its intermediates, as sent in each handshake.</summary>
    public SslStreamCertificateContext Context { get; } = context;

    /// <summary>The CA certificates client certificates must chain to; null without a CA file.</summary>
    public X509Certificate2Collection? Authorities { get; } = authorities;

    /// <summary>The text of the files it was loaded from, to tell whether they changed.</summary>
    public string FileContents { get; } = fileContents;
}
