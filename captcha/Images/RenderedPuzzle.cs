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
    private static readonly byte[] JpegPrefix = "data:image/jpeg;base64,"u8.ToArray();

    private readonly Range _background;
    private readonly Range _piece;

    private RenderedPuzzle(byte[] imagesJson, Range background, string backgroundType, Range piece, string pieceType, int pieceSize)
    {
        (ImagesJson, _background, BackgroundType, _piece, PieceType, PieceSize) = (imagesJson, background, backgroundType, piece, pieceType, pieceSize);
    }

    public byte[] ImagesJson { get; }

    /// <summary>The background's media type: the piece needs alpha, so the two may differ.</summary>
    public string BackgroundType { get; }

    public string PieceType { get; }

    public int PieceSize { get; }

    /// <summary>The encoded background, decoded back from the JSON: for tests and tools.</summary>
    public byte[] Background => Convert.FromBase64String(Encoding.ASCII.GetString(ImagesJson.AsSpan(_background)));

    /// <summary>The encoded piece, decoded back from the JSON: for tests and tools.</summary>
    public byte[] Piece => Convert.FromBase64String(Encoding.ASCII.GetString(ImagesJson.AsSpan(_piece)));

    public static RenderedPuzzle Create(ReadOnlySpan<byte> background, string backgroundType, ReadOnlySpan<byte> piece, string pieceType, int pieceSize)
    {
        var (backgroundPrefix, piecePrefix) = (DataUrlPrefix(backgroundType), DataUrlPrefix(pieceType));
        ReadOnlySpan<byte> start = "\"background\":\""u8;
        ReadOnlySpan<byte> middle = "\",\"piece\":\""u8;
        var length = start.Length + backgroundPrefix.Length + Base64.GetMaxEncodedToUtf8Length(background.Length)
            + middle.Length + piecePrefix.Length + Base64.GetMaxEncodedToUtf8Length(piece.Length) + 1;
        var json = new byte[length];
        var span = json.AsSpan();
        var at = Append(span, 0, start);
        at = Append(span, at, backgroundPrefix);
        Base64.EncodeToUtf8(background, span[at..], out _, out var written);
        var backgroundRange = at..(at + written);
        at = Append(span, at + written, middle);
        at = Append(span, at, piecePrefix);
        Base64.EncodeToUtf8(piece, span[at..], out _, out written);
        var pieceRange = at..(at + written);
        at += written;
        json[at] = (byte)'"';
        return new RenderedPuzzle(json, backgroundRange, backgroundType, pieceRange, pieceType, pieceSize);
    }

    /// <summary>The prefixes every render uses, built once rather than per challenge.</summary>
    private static byte[] DataUrlPrefix(string contentType) => contentType switch
    {
        "image/png" => PngPrefix,
        "image/webp" => WebpPrefix,
        "image/jpeg" => JpegPrefix,
        _ => Encoding.ASCII.GetBytes("data:" + contentType + ";base64,"),
    };

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }
}
