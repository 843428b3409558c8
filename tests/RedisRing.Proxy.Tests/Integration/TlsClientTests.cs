using System.Globalization;
using System.Net.Sockets;
using RedisRing.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// Clients over TLS on the proxy's TLS port (beside its plain port): real clients with the test's
/// CA (redis-cli, StackExchange.Redis, ioredis), client certificates, certificate reload, and
/// clients that do not handshake properly. Certificates are made by the test (TestCertificates).
/// </summary>
public sealed class TlsClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "redisring-tests", $"tls-{Guid.NewGuid():N}");
    private TestCertificates _certificates = null!;
    private IssuedCertificate _server = null!;
    private RedisRingCluster? _cluster;
    private int _tlsPort;

    public Task InitializeAsync()
    {
        _certificates = new TestCertificates(_folder);
        _server = _certificates.IssueServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _certificates.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task StartAsync(string authClients, params string[] more)
    {
        _tlsPort = LoopbackPorts.GetFree();
        string[] arguments =
        [
            "--tls-port", _tlsPort.ToString(CultureInfo.InvariantCulture),
            "--tls-cert-file", _server.CertFile, "--tls-key-file", _server.KeyFile, "--tls-ca-cert-file", _certificates.CaFile,
            "--tls-auth-clients", authClients, .. more,
        ];
        _cluster = await RedisRingCluster.StartAsync(output, nodes: 2, replicas: 2, arguments);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments) =>
        ToolProcess.RunAsync(file, arguments, timeoutSeconds: 30);

    [Fact]
    public async Task Redis_cli_with_tls_and_the_test_CA_writes_what_a_plain_client_then_reads()
    {
        await StartAsync("no");
        var port = _tlsPort.ToString(CultureInfo.InvariantCulture);
        string[] tls = ["-h", "127.0.0.1", "-p", port, "--tls", "--cacert", _certificates.CaFile];
        Assert.Equal((0, "OK"), Trimmed(await RunAsync("redis-cli", [.. tls, "SET", "tls:cli", "secret"])));
        Assert.Equal("secret", await RawRedis.CommandAsync(_cluster!.ProxyPort, "GET", "tls:cli") is var reply && reply.StartsWith('$') ? reply.Split("\r\n")[1] : reply);
        Assert.Equal((0, "secret"), Trimmed(await RunAsync("redis-cli", [.. tls, "GET", "tls:cli"])));
    }

    [Fact]
    public async Task StackExchange_Redis_with_ssl_and_a_callback_trusting_the_test_CA_reads_and_writes()
    {
        await StartAsync("no");
        var options = ConfigurationOptions.Parse($"127.0.0.1:{_tlsPort},ssl=true,abortConnect=false");
        options.CertificateValidation += (_, certificate, _, errors) => TlsRespConnection.TrustsOnly(_certificates.Authority, certificate, errors);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var db = redis.GetDatabase();
        Assert.True(await db.StringSetAsync("tls:se", "via StackExchange.Redis"));
        Assert.Equal("via StackExchange.Redis", (string?)await db.StringGetAsync("tls:se"));
        Assert.Equal(3, await db.ListRightPushAsync("tls:se:list", ["a", "b", "c"]));
        Assert.Equal(["a", "b", "c"], (await db.ListRangeAsync("tls:se:list")).Select(v => (string)v!));
    }

    [Fact]
    public async Task Ioredis_with_the_test_CA_pipelines_over_tls()
    {
        await StartAsync("no");
        var result = await NodeClientScript.RunAsync("tls-ioredis.js", _tlsPort, output, environment: new Dictionary<string, string> { ["TLS_CA_FILE"] = _certificates.CaFile });
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("""{"value":"over tls","counter":100}""", result.Json);
    }

    [Fact]
    public async Task With_client_certificates_required_a_client_without_one_is_refused_and_one_with_one_is_served()
    {
        await StartAsync("yes");
        var client = _certificates.IssueClient();

        Assert.False(await ServedAsync(clientCertificate: null));
        using (var stranger = new TestCertificates(Path.Combine(_folder, "other-ca"), "Another CA"))
        {
            Assert.False(await ServedAsync(stranger.IssueClient("stranger").Certificate));
        }

        Assert.True(await ServedAsync(client.Certificate));
        var port = _tlsPort.ToString(CultureInfo.InvariantCulture);
        Assert.Equal((0, "PONG"), Trimmed(await RunAsync("redis-cli", "-h", "127.0.0.1", "-p", port, "--tls", "--cacert", _certificates.CaFile, "--cert", client.CertFile, "--key", client.KeyFile, "PING")));
        var ioredis = await NodeClientScript.RunAsync("tls-ioredis.js", _tlsPort, output, environment: new Dictionary<string, string>
        {
            ["TLS_CA_FILE"] = _certificates.CaFile, ["TLS_CERT_FILE"] = client.CertFile, ["TLS_KEY_FILE"] = client.KeyFile,
        });
        Assert.True(ioredis.ExitCode == 0, ioredis.Stderr);
    }

    [Fact]
    public async Task With_optional_client_certificates_a_client_without_one_is_served_and_one_from_another_CA_is_not()
    {
        await StartAsync("optional");
        Assert.True(await ServedAsync(clientCertificate: null));
        Assert.True(await ServedAsync(_certificates.IssueClient().Certificate));
        using var stranger = new TestCertificates(Path.Combine(_folder, "other-ca"), "Another CA");
        Assert.False(await ServedAsync(stranger.IssueClient("stranger").Certificate));
    }

    [Fact]
    public async Task Replaced_certificate_files_serve_new_connections_while_an_old_connection_keeps_its_certificate()
    {
        await StartAsync("no");
        await using var old = await TlsRespConnection.ConnectAsync(_tlsPort, _certificates.Authority);
        Assert.Equal(_server.Thumbprint, old.ServerThumbprint);

        var renewed = _certificates.IssueServer("renewed");
        renewed.WriteFilesTo(_server.CertFile, _server.KeyFile);

        // The proxy looks at the files once a second; bounded wait for a new connection to see them.
        var seen = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline && seen != renewed.Thumbprint; await Task.Delay(200))
        {
            await using var fresh = await TlsRespConnection.ConnectAsync(_tlsPort, _certificates.Authority);
            seen = fresh.ServerThumbprint;
            Assert.Equal("+PONG\r\n", await fresh.CommandAsync("PING"));
        }

        Assert.Equal(renewed.Thumbprint, seen);
        Assert.Equal(_server.Thumbprint, old.ServerThumbprint);
        Assert.Equal("+OK\r\n", await old.CommandAsync("SET", "tls:old", "still served"));
        Assert.Equal("$12\r\nstill served\r\n", await old.CommandAsync("GET", "tls:old"));
    }

    [Fact]
    public async Task Files_that_do_not_load_keep_the_previous_certificate_in_service()
    {
        await StartAsync("no");
        var other = _certificates.IssueServer("mismatched");

        // A key that does not match the certificate: a half-done replacement.
        File.Copy(other.KeyFile, _server.KeyFile, overwrite: true);
        Assert.True(await LogShowsAsync("cannot be loaded"), "the failed reload is logged");
        await using var connection = await TlsRespConnection.ConnectAsync(_tlsPort, _certificates.Authority);
        Assert.Equal(_server.Thumbprint, connection.ServerThumbprint);
        Assert.Equal("+PONG\r\n", await connection.CommandAsync("PING"));
    }

    [Theory]
    [InlineData("plain RESP", "*1\r\n$4\r\nPING\r\n")]
    [InlineData("inline command", "PING\r\n")]
    [InlineData("malformed ClientHello", "\u0016\u0003\u0001\u0000\u0010garbage-garbage!")]
    public async Task A_client_that_does_not_speak_TLS_on_the_TLS_port_is_closed_and_others_are_still_served(string what, string bytes)
    {
        await StartAsync("no");
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", _tlsPort);
            var stream = client.GetStream();
            await stream.WriteAsync(System.Text.Encoding.Latin1.GetBytes(bytes));
            Assert.True(await IsClosedAsync(stream, TimeSpan.FromSeconds(10)), what + ": connection left open");
        }

        await using var tls = await TlsRespConnection.ConnectAsync(_tlsPort, _certificates.Authority);
        Assert.Equal("+PONG\r\n", await tls.CommandAsync("PING"));
        Assert.Equal("+PONG\r\n", await RawRedis.CommandAsync(_cluster!.ProxyPort, "PING"));
        Assert.DoesNotContain("session failed", _cluster.Proxy.ReadLog(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nothing", "")]
    [InlineData("half a handshake", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003")]
    public async Task A_client_that_stalls_its_handshake_is_closed_after_the_handshake_timeout(string what, string bytes)
    {
        await StartAsync("no", "--tls-handshake-timeout-ms", "1000");
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _tlsPort);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.Latin1.GetBytes(bytes));
        Assert.True(await IsClosedAsync(stream, TimeSpan.FromSeconds(10)), what + ": connection left open");
        Assert.True(await LogShowsAsync("no handshake within 1000 ms"), "the timeout is logged");
    }

    /// <summary>Handshakes (with the client certificate, if any) and gets PONG; false when the proxy refuses either.</summary>
    private async Task<bool> ServedAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate)
    {
        try
        {
            // In TLS 1.3 the server checks the client's certificate after the client has
            // finished its side: a refusal shows on the first read.
            await using var connection = await TlsRespConnection.ConnectAsync(_tlsPort, _certificates.Authority, clientCertificate);
            return await connection.CommandAsync("PING") == "+PONG\r\n";
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            output.WriteLine($"refused: {e.GetType().Name}: {e.Message}");
            return false;
        }
    }

    /// <summary>Whether the proxy's log shows <paramref name="text"/> within 10 s (a log line follows the event it reports).</summary>
    private async Task<bool> LogShowsAsync(string text)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (_cluster!.Proxy.ReadLog().Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<bool> IsClosedAsync(NetworkStream stream, TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        var buffer = new byte[1024];
        try
        {
            while (await stream.ReadAsync(buffer, cts.Token) > 0)
            {
                // A TLS alert may come first; the end of the stream is what counts.
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static (int, string) Trimmed((int ExitCode, string Output) result) => (result.ExitCode, result.Output.Trim());
}
