using System.Net.Sockets;
using System.Text;

namespace RedisRing.Testing;

/// <summary>
/// A minimal RESP client for tests: one connection per call, the reply returned as raw RESP text.
/// It exists so that tests can speak to a server without trusting the code under test.
/// </summary>
public static class RawRedis
{
    public static async Task<string> CommandAsync(int port, params string[] arguments)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync("127.0.0.1", port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encode(arguments), cts.Token);
        var reader = new RawReplyReader(stream);
        return await reader.ReadReplyAsync(cts.Token);
    }

    public static byte[] Encode(params string[] arguments)
    {
        var builder = new StringBuilder();
        builder.Append('*').Append(arguments.Length).Append("\r\n");
        foreach (var argument in arguments)
        {
            builder.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
