namespace RedisRing.Proxy.Configuration;

/// <summary>Whether TLS clients must show a certificate signed by the CA file (Redis's <c>tls-auth-clients</c>).</summary>
internal enum TlsAuthClients
{
    /// <summary>No certificate is asked for.</summary>
    No,

    /// <summary>A certificate is asked for; a client without one is accepted, one with a bad one is not.</summary>
    Optional,

    /// <summary>A client without a valid certificate fails the handshake.</summary>
    Yes,
}
