using static RedisRing.Proxy.Configuration.ProxyOptionType;

namespace RedisRing.Proxy.Configuration;

/// <summary>TLS for clients and to the nodes, named after Redis's tls-* settings.</summary>
internal static partial class ProxyOptionTable
{
    private static ProxyOptionDefinition[] Tls() =>
    [
        new()
        {
            Name = "tlsPort", Flag = "--tls-port", Type = Integer, ValueName = "PORT", Default = "0",
            Help = "accept TLS clients on this port of the listen host; 0 = none (a listen port of 0 turns plain off)",
            Check = static n => n is >= 0 and <= 65535 ? null : "must be a port number, 0..65535",
            Set = static (o, v) => o with { Tls = o.Tls with { Port = v.Int32 } },
        },
        new()
        {
            Name = "tlsCertFile", Flag = "--tls-cert-file", Type = Text, ValueName = "PEM",
            Help = "the proxy's certificate (and intermediates), reloaded when it changes",
            Set = static (o, v) => o with { Tls = o.Tls with { CertFile = v.Text } },
        },
        new()
        {
            Name = "tlsKeyFile", Flag = "--tls-key-file", Type = Text, ValueName = "PEM",
            Help = "its private key, reloaded with it",
            Set = static (o, v) => o with { Tls = o.Tls with { KeyFile = v.Text } },
        },
        new()
        {
            Name = "tlsCaCertFile", Flag = "--tls-ca-cert-file", Type = Text, ValueName = "PEM",
            Help = "CA certificates that client and node certificates must chain to",
            Set = static (o, v) => o with { Tls = o.Tls with { CaCertFile = v.Text } },
        },
        new()
        {
            Name = "tlsAuthClients", Flag = "--tls-auth-clients", Type = Text, ValueName = "no|optional|yes", Default = "yes",
            Help = "TLS clients must show a certificate signed by the CA file",
            Set = static (o, v) => o with { Tls = o.Tls with { AuthClients = ProxyOptionParsers.TlsAuthClients(v.Text) } },
        },
        new()
        {
            Name = "tlsHandshakeTimeoutMs", Flag = "--tls-handshake-timeout-ms", Type = Integer, ValueName = "N", Default = "10000",
            Help = "a TLS handshake (a client's, from its connect; one with a node) must finish within this", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => o with { Tls = o.Tls with { HandshakeTimeout = TimeSpan.FromMilliseconds(v.Number) } },
        },
        new()
        {
            Name = "nodeTls", Flag = "--node-tls", Type = Text, ValueName = "yes|no", Default = "no",
            Help = "connect to the nodes with TLS, verified against the CA file",
            Set = static (o, v) => o with { Tls = o.Tls with { Nodes = ProxyOptionParsers.YesNo("nodeTls", v.Text) } },
        },
        new()
        {
            Name = "tlsClientCertFile", Flag = "--tls-client-cert-file", Type = Text, ValueName = "PEM",
            Help = "certificate shown to nodes that ask for one (default: the tls-cert-file)",
            Set = static (o, v) => o with { Tls = o.Tls with { ClientCertFile = v.Text } },
        },
        new()
        {
            Name = "tlsClientKeyFile", Flag = "--tls-client-key-file", Type = Text, ValueName = "PEM",
            Help = "its private key (default: the tls-key-file)",
            Set = static (o, v) => o with { Tls = o.Tls with { ClientKeyFile = v.Text } },
        },
    ];
}
