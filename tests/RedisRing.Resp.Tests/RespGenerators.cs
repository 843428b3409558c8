using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace RedisRing.Resp.Tests;

/// <summary>Several replies back to back, as a backend answers pipelined commands.</summary>
public sealed record ReplyStream(byte[][] Replies)
{
    public byte[] Bytes => [.. Replies.SelectMany(r => r)];

    public override string ToString() => string.Join(" | ", Replies.Select(RespGenerators.Show));
}

/// <summary>Several requests back to back, as a pipelining client sends them.</summary>
public sealed record RequestStream(byte[][] Requests)
{
    public byte[] Bytes => [.. Requests.SelectMany(r => r)];

    public override string ToString() => string.Join(" | ", Requests.Select(RespGenerators.Show));
}

/// <summary>
/// Well-formed RESP for the framing properties: nested RESP2 and RESP3 replies (arrays, sets,
/// pushes, maps; bulks whose payload holds CR, LF and RESP markers; simple strings with lone CRs)
/// and requests (multi-bulk with any bytes, inline lines, empty arrays).
/// </summary>
public static class RespGenerators
{
    public static Arbitrary<ReplyStream> Replies() => Arb.From(
        from count in Gen.Choose(1, 3)
        from replies in Gen.ArrayOf(Gen.Sized(Reply), count)
        select new ReplyStream(replies));

    public static Arbitrary<RequestStream> Requests() => Arb.From(
        from count in Gen.Choose(1, 3)
        from requests in Gen.ArrayOf(Request, count)
        select new RequestStream(requests));

    internal static string Show(byte[] bytes) =>
        Encoding.Latin1.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static Gen<byte> PayloadByte => Gen.OneOf(
        Gen.Choose(0, 255).Select(b => (byte)b),
        Gen.Elements((byte)'\r', (byte)'\n', (byte)'$', (byte)'*', (byte)'0', (byte)'-'));

    private static Gen<byte[]> Payload => Gen.ArrayOf(PayloadByte);

    private static Gen<byte[]> Reply(int size) => size <= 1
        ? Leaf
        : Gen.OneOf(Leaf, Leaf, Aggregate(size));

    // Attributes ('|') are left out: the scanner counts them as a map that is the reply, while
    // RESP3 has them precede it; Redis does not send them.
    private static Gen<byte[]> Aggregate(int size) =>
        from type in Gen.Elements('*', '*', '~', '>', '%')
        from count in Gen.Choose(type == '*' ? -1 : 0, 5)
        let elements = count <= 0 ? 0 : type == '%' ? count * 2 : count
        from children in Gen.ArrayOf(Reply(size / (elements + 1)), elements)
        select Concat(Ascii($"{type}{count}\r\n"), [.. children.SelectMany(c => c)]);

    private static Gen<byte[]> Leaf => Gen.OneOf(
        SimpleLine('+'),
        SimpleLine('-'),
        Gen.Choose(int.MinValue, int.MaxValue).Select(i => Ascii($":{i}\r\n")),
        Gen.Constant(Ascii("_\r\n")),
        Gen.Elements(",3.14\r\n", ",-inf\r\n", ",1e10\r\n").Select(Ascii),
        Gen.Elements("#t\r\n", "#f\r\n").Select(Ascii),
        Gen.Choose(0, int.MaxValue).Select(i => Ascii($"(3492890328409238509324850943850943825024385{i}\r\n")),
        Bulk('$'),
        Bulk('$'),
        Bulk('!'),
        Payload.Select(p => Concat(Ascii($"={p.Length + 4}\r\ntxt:"), p, Ascii("\r\n"))),
        Gen.Constant(Ascii("$-1\r\n")));

    /// <summary>A status or error line; a lone CR inside it is not its end.</summary>
    private static Gen<byte[]> SimpleLine(char type) =>
        Gen.ArrayOf(Gen.Elements((byte)'a', (byte)'b', (byte)' ', (byte)'\r')).Select(text => Concat(Ascii(type.ToString()), text, Ascii("\r\n")));

    private static Gen<byte[]> Bulk(char type) =>
        Payload.Select(p => Concat(Ascii($"{type}{p.Length}\r\n"), p, Ascii("\r\n")));

    private static Gen<byte[]> Request => Gen.OneOf(MultiBulk, MultiBulk, MultiBulk, Inline, Gen.Constant(Ascii("*0\r\n")));

    private static Gen<byte[]> MultiBulk =>
        from arguments in Gen.ArrayOf(Payload)
        where arguments.Length > 0
        select Concat(
            Ascii($"*{arguments.Length}\r\n"),
            [.. arguments.SelectMany(a => Concat(Ascii($"${a.Length}\r\n"), a, Ascii("\r\n")))]);

    private static Gen<byte[]> Inline =>
        from words in Gen.ArrayOf(Gen.ArrayOf(Gen.Elements("abcxyz".ToCharArray())))
        select Ascii(string.Join(' ', words.Select(w => new string(w))) + "\r\n");

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
