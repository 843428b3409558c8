using System.Globalization;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// TLS from the proxy to the nodes (<c>--node-tls yes</c>) against real redis-servers listening
/// with TLS (and requiring client certificates, Redis's default), with certificates made by the test.
/// </summary>
public sealed class TlsNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "redisring-tests", $"tls-nodes-{Guid.NewGuid():N}");
    private readonly List<RedisServer> _nodes = [];
    private readonly List<int> _tlsPorts = [];
    private TestCertificates _certificates = null!;
    private ProxyProcess? _proxy;

    public Task InitializeAsync()
    {
        _certificates = new TestCertificates(_folder);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _certificates.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Two redis-servers with a TLS port (certificate of <paramref name="nodeCertificates"/>) beside the plain one the fixture and the checks use.</summary>
    private async Task StartNodesAsync(TestCertificates nodeCertificates)
    {
        var server = nodeCertificates.IssueServer("node");
        for (var i = 0; i < 2; i++)
        {
            var tlsPort = LoopbackPorts.GetFree();
            _tlsPorts.Add(tlsPort);
            _nodes.Add(await RedisServer.StartAsync(output, null,
                "--tls-port", tlsPort.ToString(CultureInfo.InvariantCulture), "--tls-cert-file", server.CertFile, "--tls-key-file", server.KeyFile,
                "--tls-ca-cert-file", _certificates.CaFile, "--tls-auth-clients", "yes"));
        }
    }

    private async Task StartProxyAsync(IDictionary<string, string>? environment = null)
    {
        var client = _certificates.IssueClient("proxy");
        var arguments = new List<string>
        {
            "--replicas", "2", "--node-tls", "yes", "--tls-ca-cert-file", _certificates.CaFile,
            "--tls-client-cert-file", client.CertFile, "--tls-client-key-file", client.KeyFile,
        };
        foreach (var port in _tlsPorts)
        {
            arguments.AddRange(["--node", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)]);
        }

        _proxy = await ProxyProcess.StartAsync(output, arguments, environment: environment);
    }

    [Fact]
    public async Task Writes_reach_every_copy_over_tls_and_reads_fail_over_when_a_node_is_killed()
    {
        await StartNodesAsync(_certificates);
        await StartProxyAsync();

        Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(_proxy!.Port, "SET", "tls:node", "copied"));
        foreach (var node in _nodes)
        {
            // Read on the node's plain port: the copy arrived over the proxy's TLS link.
            Assert.Equal("$6\r\ncopied\r\n", await node.CommandAsync("GET", "tls:node"));
        }

        var clients = await _nodes[0].CommandAsync("CLIENT", "LIST");
        Assert.Contains("laddr=127.0.0.1:" + _tlsPorts[0].ToString(CultureInfo.InvariantCulture), clients, StringComparison.Ordinal);

        _nodes[0].Kill();
        Assert.Equal("$6\r\ncopied\r\n", await RawRedis.CommandAsync(_proxy.Port, "GET", "tls:node"));
    }

    [Fact]
    public async Task Nodes_whose_certificate_is_not_from_the_CA_file_are_never_used()
    {
        using var stranger = new TestCertificates(Path.Combine(_folder, "other-ca"), "Another CA");
        await StartNodesAsync(stranger);

        // Connect failures are logged at Debug (a node that is down is retried quietly).
        await StartProxyAsync(new Dictionary<string, string> { ["REDISRING_LOG_LEVEL"] = "Debug" });

        var reply = await RawRedis.CommandAsync(_proxy!.Port, "SET", "tls:untrusted", "never stored");
        Assert.StartsWith("-", reply, StringComparison.Ordinal);
        foreach (var node in _nodes)
        {
            Assert.Equal("$-1\r\n", await node.CommandAsync("GET", "tls:untrusted"));
        }

        // The reason, as each connect attempt logs it (bounded wait: a log line follows its event).
        var logged = false;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !logged && DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            logged = _proxy.ReadLog().Contains("TLS to 127.0.0.1: ", StringComparison.Ordinal);
        }

        Assert.True(logged, "the untrusted certificate is the logged reason");
    }
}
