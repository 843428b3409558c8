using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace RedisRing.Testing;

/// <summary>
/// Sends many binary-safe commands on one connection without waiting for each reply (a writer
/// and a reader run together), so thousands of keys take milliseconds. Replies come back in
/// order as raw text; bulk payloads are decoded as Latin-1 so every byte survives.
/// Encodes and reads RESP by hand, not with resp/, so a codec bug cannot hide in both sides of a test.
/// </summary>
public static class PipelinedRedis
{
    public static async Task<IReadOnlyList<string>> SendAsync(int port, IReadOnlyList<byte[][]> commands, TimeSpan? timeout = null)
    {
        using var client = new TcpClient { NoDelay = true };
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        await client.ConnectAsync("127.0.0.1", port, cts.Token);
        var stream = client.GetStream();
        var writing = WriteAllAsync(stream, commands, cts.Token);
        var replies = new List<string>(commands.Count);
        var reader = new BufferedStream(stream, 64 * 1024);
        for (var i = 0; i < commands.Count; i++)
        {
            replies.Add(await ReadReplyAsync(reader, cts.Token));
        }

        await writing;
        return replies;
    }

    public static byte[][] Command(params object[] parts) =>
        [.. parts.Select(part => part switch
        {
            byte[] bytes => bytes,
            string text => Encoding.UTF8.GetBytes(text),
            _ => throw new ArgumentException($"Unsupported argument type {part.GetType()}."),
        })];

    private static async Task WriteAllAsync(NetworkStream stream, IReadOnlyList<byte[][]> commands, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        foreach (var command in commands)
        {
            Append(buffer, $"*{command.Length}\r\n");
            foreach (var argument in command)
            {
                Append(buffer, $"${argument.Length}\r\n");
                buffer.Write(argument);
                Append(buffer, "\r\n");
            }

            if (buffer.Length > 32 * 1024)
            {
                await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
                buffer.SetLength(0);
            }
        }

        await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
    }

    private static void Append(MemoryStream buffer, string text) => buffer.Write(Encoding.ASCII.GetBytes(text));

    private static async Task<string> ReadReplyAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(stream, cancellationToken);
        switch (line[0])
        {
            case '$':
                var length = int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return line;
                }

                var data = new byte[length + 2];
                await stream.ReadExactlyAsync(data, cancellationToken);
                return line + "\r\n" + Encoding.Latin1.GetString(data, 0, length);
            case '*':
                var count = int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
                var builder = new StringBuilder(line);
                for (var i = 0; i < count; i++)
                {
                    builder.Append("\r\n").Append(await ReadReplyAsync(stream, cancellationToken));
                }

                return builder.ToString();
            default:
                return line;
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(16);
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("Connection closed in the middle of a reply.");
            }

            if (one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
            {
                bytes.RemoveAt(bytes.Count - 1);
                return Encoding.Latin1.GetString(bytes.ToArray());
            }

            bytes.Add(one[0]);
        }
    }
}
