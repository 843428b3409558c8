using System.Buffers.Text;
using System.Text;

namespace RedisRing.Captcha.Images;

/// <summary>
/// A rendered challenge as the service serves it: <c>"background":"data:…","piece":"data:…"</c>
/// as UTF-8 JSON, built once per render (on the pool's thread) so that issuing a challenge copies
/// bytes instead of base64-encoding and JSON-escaping tens of kilobytes per request. This array
/// is the only allocation a render keeps: the encoded images themselves live in pooled buffers
/// only while it is built. Base64 and the content type need no escaping.
/// </summary>
internal sealed class RenderedPuzzle
{
    private static readonly byte[] PngPrefix = "data:image/png;base64,"u8.ToArray();
    private static readonly byte[] WebpPrefix = "data:image/webp;base64,"u8.ToArray();

    private readonly Range _background;
    private readonly Range _piece;

    private RenderedPuzzle(byte[] imagesJson, Range background, Range piece, string contentType, int pieceSize)
    {
        (ImagesJson, _background, _piece, ContentType, PieceSize) = (imagesJson, background, piece, contentType, pieceSize);
    }

    public byte[] ImagesJson { get; }

    public string ContentType { get; }

    public int PieceSize { get; }

    /// <summary>The encoded background, decoded back from the JSON: for tests and tools.</summary>
    public byte[] Background => Convert.FromBase64String(Encoding.ASCII.GetString(ImagesJson.AsSpan(_background)));

    /// <summary>The encoded piece, decoded back from the JSON: for tests and tools.</summary>
    public byte[] Piece => Convert.FromBase64String(Encoding.ASCII.GetString(ImagesJson.AsSpan(_piece)));

    public static RenderedPuzzle Create(ReadOnlySpan<byte> background, ReadOnlySpan<byte> piece, string contentType, int pieceSize)
    {
        var prefix = DataUrlPrefix(contentType);
        ReadOnlySpan<byte> start = "\"background\":\""u8;
        ReadOnlySpan<byte> middle = "\",\"piece\":\""u8;
        var length = start.Length + prefix.Length + Base64.GetMaxEncodedToUtf8Length(background.Length)
            + middle.Length + prefix.Length + Base64.GetMaxEncodedToUtf8Length(piece.Length) + 1;
        var json = new byte[length];
        var span = json.AsSpan();
        var at = Append(span, 0, start);
        at = Append(span, at, prefix);
        Base64.EncodeToUtf8(background, span[at..], out _, out var written);
        var backgroundRange = at..(at + written);
        at = Append(span, at + written, middle);
        at = Append(span, at, prefix);
        Base64.EncodeToUtf8(piece, span[at..], out _, out written);
        var pieceRange = at..(at + written);
        at += written;
        json[at] = (byte)'"';
        return new RenderedPuzzle(json, backgroundRange, pieceRange, contentType, pieceSize);
    }

    /// <summary>The two prefixes every render uses, built once rather than per challenge.</summary>
    private static byte[] DataUrlPrefix(string contentType) => contentType switch
    {
        "image/png" => PngPrefix,
        "image/webp" => WebpPrefix,
        _ => Encoding.ASCII.GetBytes("data:" + contentType + ";base64,"),
    };

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }
}
