using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.Tests.Unit;

/// <summary>The TLS settings, named after Redis's tls-* settings, and the rules between them.</summary>
public sealed class OptionsLoaderTlsTests
{
    [Fact]
    public void TLS_is_off_by_default_and_client_certificates_are_required_once_it_is_on_as_in_Redis()
    {
        var options = Load();
        Assert.Equal(0, options.Tls.Port);
        Assert.False(options.Tls.Nodes);
        Assert.Equal(TlsAuthClients.Yes, options.Tls.AuthClients);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Tls.HandshakeTimeout);
    }

    [Fact]
    public void A_TLS_port_with_its_files_is_read_and_listen_port_0_turns_plain_off()
    {
        var options = Load("--listen", "127.0.0.1:0", "--tls-port", "6390", "--tls-cert-file", "c.pem", "--tls-key-file", "k.pem", "--tls-ca-cert-file", "ca.pem", "--tls-auth-clients", "optional");
        Assert.Equal(0, options.Listen.Port);
        Assert.Equal(6390, options.Tls.Port);
        Assert.Equal(6390, options.ServicePort);
        Assert.Equal(("c.pem", "k.pem", "ca.pem"), (options.Tls.CertFile, options.Tls.KeyFile, options.Tls.CaCertFile));
        Assert.Equal(TlsAuthClients.Optional, options.Tls.AuthClients);
        Assert.EndsWith("proxy-6390.json", options.StateFile, StringComparison.Ordinal);
    }

    [Fact]
    public void The_nodes_are_shown_the_client_pair_when_given_else_the_server_pair_as_Redis_does()
    {
        Assert.Equal(("c.pem", "k.pem"), Load("--node-tls", "yes", "--tls-ca-cert-file", "ca.pem", "--tls-cert-file", "c.pem", "--tls-key-file", "k.pem").Tls.NodeClientPair);
        Assert.Equal(("cc.pem", "ck.pem"), Load("--node-tls", "yes", "--tls-ca-cert-file", "ca.pem", "--tls-cert-file", "c.pem", "--tls-key-file", "k.pem",
            "--tls-client-cert-file", "cc.pem", "--tls-client-key-file", "ck.pem").Tls.NodeClientPair);
        Assert.Null(Load("--node-tls", "yes", "--tls-ca-cert-file", "ca.pem").Tls.NodeClientPair);
    }

    [Theory]
    [InlineData("listen port 0 turns the plain listener off", "--listen", "127.0.0.1:0")]
    [InlineData("--tls-port 7000 is also the listen port", "--listen", "127.0.0.1:7000", "--tls-port", "7000", "--tls-cert-file", "c", "--tls-key-file", "k", "--tls-auth-clients", "no")]
    [InlineData("--tls-port needs --tls-cert-file and --tls-key-file", "--tls-port", "7000", "--tls-cert-file", "c")]
    [InlineData("needs --tls-ca-cert-file to verify client certificates", "--tls-port", "7000", "--tls-cert-file", "c", "--tls-key-file", "k")]
    [InlineData("--node-tls yes needs --tls-ca-cert-file", "--node-tls", "yes")]
    [InlineData("give --tls-client-cert-file and --tls-client-key-file together", "--tls-client-cert-file", "c")]
    [InlineData("tlsAuthClients must be no, optional or yes, not 'maybe'", "--tls-auth-clients", "maybe")]
    [InlineData("nodeTls must be yes or no, not 'true'", "--node-tls", "true")]
    [InlineData("--tls-port must be a port number, 0..65535", "--tls-port", "70000")]
    [InlineData("--tls-handshake-timeout-ms must be positive", "--tls-handshake-timeout-ms", "0")]
    public void Incomplete_or_contradictory_TLS_settings_are_refused_with_what_to_give(string message, params string[] args)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(args));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static ProxyOptions Load(params string[] args) => OptionsLoader.Load(["--node", "h:1", .. args], _ => null);
}
