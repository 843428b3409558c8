using System.Globalization;
using System.Text;

namespace RedisRing.Testing;

/// <summary>
/// Reads whole RESP2 (and RESP3) replies from a stream and returns them as raw text. Deliberately not resp/'s
/// ReplyScanner: the tests' oracle must not share the code under test.
/// </summary>
public sealed class RawReplyReader(Stream stream)
{
    private readonly byte[] _one = new byte[1];

    public async Task<string> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        await ReadInto(builder, cancellationToken);
        return builder.ToString();
    }

    private async Task ReadInto(StringBuilder builder, CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        builder.Append(line).Append("\r\n");
        switch (line[0])
        {
            case '$' or '=':
                var length = int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
                if (length >= 0)
                {
                    var data = new byte[length + 2];
                    await stream.ReadExactlyAsync(data, cancellationToken);
                    builder.Append(Encoding.UTF8.GetString(data));
                }

                break;
            case '*' or '~' or '%' or '>':
                // RESP3 sets and pushes hold count elements, maps count pairs.
                var count = int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture) * (line[0] == '%' ? 2 : 1);
                for (var i = 0; i < count; i++)
                {
                    await ReadInto(builder, cancellationToken);
                }

                break;
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        while (true)
        {
            var read = await stream.ReadAsync(_one, cancellationToken);
            if (read == 0)
            {
                throw new IOException("Connection closed in the middle of a reply.");
            }

            if (_one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
            {
                bytes.RemoveAt(bytes.Count - 1);
                return Encoding.UTF8.GetString(bytes.ToArray());
            }

            bytes.Add(_one[0]);
        }
    }
}
