using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace RedisRing.Captcha.State;

/// <summary>
/// How challenges and passes are stored. A challenge is "&lt;pass TTL ms&gt;\n&lt;site key&gt;\n&lt;record
/// JSON&gt;": the scripts read the pass TTL and the site without parsing JSON in Lua. The pass the
/// answer script writes is the challenge's value plus "\n&lt;solved-at ms&gt;": the pass record is
/// the challenge record's site, hostname and action with the time it was solved.
/// </summary>
internal static class StoredChallenge
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The stored value, written in a per-thread buffer and copied out once (one allocation per challenge).</summary>
    public static byte[] Encode(ChallengeRecord record, TimeSpan passTtl)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        // Site keys are [A-Za-z0-9_-]: no newline can end up inside the header.
        var header = buffer.GetSpan(32 + record.SiteKey.Length);
        Utf8Formatter.TryFormat((long)passTtl.TotalMilliseconds, header, out var at);
        header[at++] = (byte)'\n';
        at += Encoding.ASCII.GetBytes(record.SiteKey, header[at..]);
        header[at++] = (byte)'\n';
        buffer.Advance(at);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, record, StateJsonContext.Default.ChallengeRecord);
        return buffer.WrittenSpan.ToArray();
    }

    public static ChallengeRecord DecodeChallenge(ReadOnlySpan<byte> value)
    {
        var afterTtl = value[(value.IndexOf((byte)'\n') + 1)..];
        var json = afterTtl[(afterTtl.IndexOf((byte)'\n') + 1)..];
        return JsonSerializer.Deserialize(json, StateJsonContext.Default.ChallengeRecord) ?? throw new JsonException("A stored challenge is null.");
    }

    public static PassRecord DecodePass(ReadOnlySpan<byte> value)
    {
        var last = value.LastIndexOf((byte)'\n');
        if (last < 0 || !Utf8Parser.TryParse(value[(last + 1)..], out long solvedAtMs, out var consumed) || consumed != value.Length - last - 1)
        {
            throw new JsonException("A stored pass has no solved-at time.");
        }

        var challenge = DecodeChallenge(value[..last]);
        return new PassRecord(challenge.SiteKey, solvedAtMs, challenge.Hostname, challenge.Action);
    }
}
