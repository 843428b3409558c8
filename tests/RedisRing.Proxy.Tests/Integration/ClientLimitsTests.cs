using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// What one client may make the proxy hold, against a real proxy process and redis-server: small
/// requests only before AUTH (Redis's unauthenticated limits), and not for long (the auth
/// deadline); replies it leaves unread up to the output buffer limit, while a client that reads
/// gets a 64 MB value with the default limits.
/// </summary>
public sealed class ClientLimitsTests(ITestOutputHelper output)
{
    private const string Password = "limits-pass";

    [Fact]
    public async Task Before_AUTH_more_than_10_arguments_or_a_bulk_over_16_KB_closes_the_connection_with_the_Redis_error()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1, "--password", Password);

        await using var manyArguments = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await manyArguments.SendAsync(Command("DEL", 10));
        Assert.Equal("-ERR Protocol error: unauthenticated multibulk length\r\n", await manyArguments.ReadReplyAsync());
        Assert.True(await manyArguments.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));

        // Refused at the length, before the bytes are sent: the proxy never waits for them.
        await using var bigBulk = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await bigBulk.SendRawAsync("*2\r\n$4\r\nECHO\r\n$16385\r\nxxxx"u8.ToArray());
        Assert.Equal("-ERR Protocol error: unauthenticated bulk length\r\n", await bigBulk.ReadReplyAsync());
        Assert.True(await bigBulk.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));

        await using var longInline = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await longInline.SendRawAsync(Encoding.ASCII.GetBytes("AUTH " + new string('x', 16384)));
        Assert.Equal("-ERR Protocol error: too big inline request\r\n", await longInline.ReadReplyAsync());
        Assert.True(await longInline.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));

        // At the limits a request is read, and refused only for want of AUTH.
        await using var atTheLimits = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("-NOAUTH Authentication required.\r\n", await atTheLimits.CommandAsync(Command("DEL", 9)));
        Assert.Equal("-NOAUTH Authentication required.\r\n", await atTheLimits.CommandAsync("ECHO", new string('x', 16384)));
        Assert.Equal("+OK\r\n", await atTheLimits.CommandAsync("AUTH", Password));
    }

    [Fact]
    public async Task After_AUTH_the_same_requests_work_even_in_the_pipeline_of_the_AUTH()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1, "--password", Password);
        var big = new string('x', 16385);

        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("AUTH", Password));
        Assert.Equal(":0\r\n", await client.CommandAsync(Command("DEL", 10)));
        Assert.Equal($"$16385\r\n{big}\r\n", await client.CommandAsync("ECHO", big));

        // AUTH is answered before the next request of the same write is read.
        await using var pipelined = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await pipelined.SendRawAsync([.. RawRedis.Encode("AUTH", Password), .. RawRedis.Encode("ECHO", big), .. RawRedis.Encode(Command("DEL", 10))]);
        Assert.Equal("+OK\r\n", await pipelined.ReadReplyAsync());
        Assert.Equal($"$16385\r\n{big}\r\n", await pipelined.ReadReplyAsync());
        Assert.Equal(":0\r\n", await pipelined.ReadReplyAsync());
    }

    [Fact]
    public async Task An_unauthenticated_client_trickling_a_byte_every_200_ms_is_closed_at_the_auth_deadline()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1, "--password", Password, "--auth-timeout-s", "1");
        await using var member = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await member.CommandAsync("AUTH", Password));

        await using var stranger = await RespConnection.ConnectAsync(cluster.ProxyPort);
        var connected = Stopwatch.StartNew();
        var closed = stranger.IsClosedByServerAsync(TimeSpan.FromSeconds(10));
        var request = RawRedis.Encode("AUTH", new string('x', 1000));
        for (var i = 0; i < request.Length && !closed.IsCompleted; i++)
        {
            try
            {
                await stranger.SendRawAsync([request[i]]);
            }
            catch (IOException)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.True(await closed, "the trickling client is still connected");
        output.WriteLine($"closed after {connected.Elapsed}");
        Assert.InRange(connected.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Equal("+PONG\r\n", await member.CommandAsync("PING"));
        Assert.True(await LogContainsAsync(cluster.Proxy, "did not authenticate within 1 s of connecting"));
    }

    [Fact]
    public async Task A_client_that_pipelines_big_LRANGEs_and_never_reads_is_closed_and_the_proxy_stays_small()
    {
        // Redis makes a read's worth of replies before it sends the first: on a busy machine that
        // may take longer than the default command timeout, which is not what this test is about.
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1,
            "--client-output-hard-limit", "8388608", "--client-output-soft-limit", "0", "--command-timeout-ms", "20000");
        await FillListAsync(cluster.ProxyPort, "big");
        var pid = cluster.Proxy.ProcessId!.Value;
        var before = MemoryKilobytes(pid, "VmRSS");

        // 200 replies of about 530 KB, each in a pooled 1 MB buffer: 200 MB if the proxy kept them all.
        using var greedy = await ConnectRawAsync(cluster.ProxyPort, receiveBuffer: 4096);
        var lrange = RawRedis.Encode("LRANGE", "big", "0", "-1");
        await greedy.GetStream().WriteAsync(Enumerable.Repeat(lrange, 200).SelectMany(bytes => bytes).ToArray());

        await using var admin = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.True(await DisconnectionsReachAsync(admin, 1), "the client was not closed for its output buffer");
        Assert.True(await IsClosedAsync(greedy), "the greedy client is still connected");
        var peak = MemoryKilobytes(pid, "VmHWM");
        output.WriteLine($"proxy RSS before {before} kB, peak {peak} kB");
        Assert.True(peak - before < 64 * 1024, $"the proxy's RSS peaked {peak - before} kB above its {before} kB");
        Assert.True(await LogContainsAsync(cluster.Proxy, "over the output buffer hard limit of 8388608 bytes"));
        Assert.Equal("+PONG\r\n", await admin.CommandAsync("PING"));
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_once_its_replies_stay_over_the_soft_limit()
    {
        // Batches of 4 replies (2 MB) fit under the hard limit: only the soft limit's time can catch it.
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1,
            "--max-pipeline", "4", "--client-output-soft-limit", "1048576", "--client-output-soft-s", "1", "--command-timeout-ms", "20000");
        await FillListAsync(cluster.ProxyPort, "big");
        using var stuck = await ConnectRawAsync(cluster.ProxyPort, receiveBuffer: 4096);
        var lrange = RawRedis.Encode("LRANGE", "big", "0", "-1");
        var sent = Stopwatch.StartNew();
        await stuck.GetStream().WriteAsync(Enumerable.Repeat(lrange, 20).SelectMany(bytes => bytes).ToArray());

        await using var admin = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.True(await DisconnectionsReachAsync(admin, 1), "the client was not closed for its output buffer");
        output.WriteLine($"closed {sent.Elapsed} after its requests");
        Assert.True(sent.Elapsed > TimeSpan.FromSeconds(1), $"closed after {sent.Elapsed}, before the soft time");
        Assert.True(await LogContainsAsync(cluster.Proxy, "over the output buffer soft limit of 1048576 bytes for more than 1 s"));
    }

    [Fact]
    public async Task A_client_reading_a_64_MB_value_gets_it_with_the_default_limits()
    {
        // Default output limits; a longer command timeout only because 64 MB to Redis and back
        // may take more than a second on a busy test machine.
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1, "--command-timeout-ms", "20000");
        var value = new byte[64 * 1024 * 1024];
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = (byte)('a' + (i % 26));
        }

        using var client = await ConnectRawAsync(cluster.ProxyPort, receiveBuffer: null);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n$5\r\nvalue\r\n${value.Length}\r\n"));
        await stream.WriteAsync(value);
        await stream.WriteAsync("\r\n"u8.ToArray());
        Assert.Equal("+OK", await ReadLineAsync(stream));

        await stream.WriteAsync(RawRedis.Encode("GET", "value"));
        Assert.Equal($"${value.Length}", await ReadLineAsync(stream));
        var read = new byte[value.Length + 2];
        await stream.ReadExactlyAsync(read);
        Assert.True(read.AsSpan(0, value.Length).SequenceEqual(value), "the value read back differs");

        await using var admin = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Contains("client_output_buffer_limit_disconnections:0\r\n", await admin.CommandAsync("INFO", "stats"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_proxy_gives_memory_back_within_ten_seconds_after_64_MB_values_went_through_it()
    {
        // Two copies, so a SET goes to two nodes; GETs of the same value are served from pooled
        // buffers the second time, which allocate nothing and must still be given back. Long
        // timeouts: this is about memory, and a loaded test machine can keep a node that is
        // taking 64 MB from answering PING for a second.
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 3, replicas: 2,
            "--command-timeout-ms", "30000", "--liveness-timeout-ms", "15000", "--long-command-liveness-timeout-ms", "15000");
        var pid = cluster.Proxy.ProcessId!.Value;
        await using (var warm = await RespConnection.ConnectAsync(cluster.ProxyPort))
        {
            for (var i = 0; i < 200; i++)
            {
                await warm.CommandAsync("SET", $"warm:{i}", "x");
                await warm.CommandAsync("GET", $"warm:{i}");
            }
        }

        await Task.Delay(3000);
        var idle = MemoryKilobytes(pid, "VmRSS");
        var value = new byte[64 * 1024 * 1024];
        Random.Shared.NextBytes(value);
        using (var client = await ConnectRawAsync(cluster.ProxyPort, receiveBuffer: null))
        {
            var stream = client.GetStream();
            for (var round = 0; round < 2; round++)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n$5\r\nvalue\r\n${value.Length}\r\n"));
                await stream.WriteAsync(value);
                await stream.WriteAsync("\r\n"u8.ToArray());
                Assert.Equal("+OK", await ReadLineAsync(stream));
                for (var get = 0; get < 2; get++)
                {
                    await stream.WriteAsync(RawRedis.Encode("GET", "value"));
                    Assert.Equal($"${value.Length}", await ReadLineAsync(stream));
                    var read = new byte[value.Length + 2];
                    await stream.ReadExactlyAsync(read);
                }
            }
        }

        var peak = MemoryKilobytes(pid, "VmHWM");
        var after = Stopwatch.StartNew();
        long now;
        while ((now = MemoryKilobytes(pid, "VmRSS")) > 2 * idle && after.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(250);
        }

        output.WriteLine($"proxy RSS idle {idle} kB, peak {peak} kB, {now} kB after {after.Elapsed.TotalSeconds:0.0} s");
        Assert.True(now <= 2 * idle, $"the proxy's RSS is {now} kB 10 s after the transfers, more than twice its idle {idle} kB");
    }

    /// <summary>A list of 5000 elements of 100 bytes: LRANGE 0 -1 answers about 530 KB.</summary>
    private static async Task FillListAsync(int port, string key)
    {
        await using var client = await RespConnection.ConnectAsync(port);
        var elements = Enumerable.Range(0, 5000).Select(i => i.ToString("D100", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(":5000\r\n", await client.CommandAsync(["RPUSH", key, .. elements]));
    }

    private static async Task<TcpClient> ConnectRawAsync(int port, int? receiveBuffer)
    {
        var client = new TcpClient { NoDelay = true };
        if (receiveBuffer is { } size)
        {
            // Small before connecting, so that the window the proxy sees stays small.
            client.ReceiveBufferSize = size;
        }

        await client.ConnectAsync("127.0.0.1", port);
        return client;
    }

    /// <summary>Whether INFO counts <paramref name="count"/> clients closed for their output buffer within 15 s.</summary>
    private static async Task<bool> DisconnectionsReachAsync(RespConnection admin, int count)
    {
        var expected = $"client_output_buffer_limit_disconnections:{count}\r\n";
        for (var attempt = 0; attempt < 150; attempt++)
        {
            if ((await admin.CommandAsync("INFO", "stats")).Contains(expected, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Whether the server ends the connection within 10 s; whatever it sent before is skipped.</summary>
    private static async Task<bool> IsClosedAsync(TcpClient client)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        try
        {
            while (await client.GetStream().ReadAsync(buffer, cts.Token) > 0)
            {
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

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one);
            if (one[0] == '\n' && line.Length > 0 && line[^1] == '\r')
            {
                return line.ToString(0, line.Length - 1);
            }

            line.Append((char)one[0]);
        }
    }

    /// <summary>A memory figure of /proc/PID/status, in kB: VmRSS now, VmHWM the peak so far.</summary>
    private static long MemoryKilobytes(int pid, string field) =>
        long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether the proxy logs <paramref name="text"/> within a few seconds (its console logger writes in the background).</summary>
    private static async Task<bool> LogContainsAsync(ProxyProcess proxy, string text)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (proxy.ReadLog().Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary><paramref name="name"/> with <paramref name="keys"/> keys: 1 + keys arguments.</summary>
    private static string[] Command(string name, int keys) => [name, .. Enumerable.Range(0, keys).Select(i => $"key:{i}")];
}
