namespace RedisRing.Proxy.Configuration;

/// <summary>
/// TLS for clients (a TLS port beside or instead of the plain one) and to the nodes, named after
/// Redis's tls-* settings. The files are PEM; the proxy reloads them when they change.
/// </summary>
internal sealed record TlsOptions
{
    /// <summary>Port of the TLS listener on the <c>listen</c> address's host; 0: no TLS listener (Redis <c>tls-port</c>).</summary>
    public int Port { get; init; }

    /// <summary>The server certificate, optionally followed by its intermediates (Redis <c>tls-cert-file</c>).</summary>
    public string? CertFile { get; init; }

    /// <summary>The certificate's private key (Redis <c>tls-key-file</c>).</summary>
    public string? KeyFile { get; init; }

    /// <summary>CA certificates that client certificates (and node certificates) must chain to (Redis <c>tls-ca-cert-file</c>).</summary>
    public string? CaCertFile { get; init; }

    /// <summary>Redis's default: clients must show a certificate.</summary>
    public TlsAuthClients AuthClients { get; init; } = TlsAuthClients.Yes;

    /// <summary>A client that has not finished its handshake this long after it connected is closed; a handshake with a node fails after it.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromMilliseconds(10_000);

    /// <summary>Connect to the nodes with TLS (Redis <c>tls-replication</c>, for the proxy's backend links).</summary>
    public bool Nodes { get; init; }

    /// <summary>The certificate shown to nodes that ask for one (Redis <c>tls-client-cert-file</c>); <see cref="CertFile"/> when not given.</summary>
    public string? ClientCertFile { get; init; }

    /// <summary>Its key (Redis <c>tls-client-key-file</c>); <see cref="KeyFile"/> when not given.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>The certificate and key the proxy shows the nodes, if any: the client pair, else the server pair (as Redis does).</summary>
    public (string Cert, string Key)? NodeClientPair =>
        ClientCertFile is { } cert && ClientKeyFile is { } key ? (cert, key)
        : CertFile is { } serverCert && KeyFile is { } serverKey ? (serverCert, serverKey)
        : null;
}
