using System.Buffers.Text;
using System.Text;

namespace RedisRing.Captcha.Images;

/// <summary>The encoded background (with its notch and decoys) and the piece cut from it.</summary>
internal sealed record RenderedPuzzle(byte[] Background, byte[] Piece, string ContentType, int PieceSize)
{
    /// <summary>
    /// <c>"background":"data:…","piece":"data:…"</c> as UTF-8 JSON, built once per render (on the
    /// pool's thread) so that issuing a challenge copies bytes instead of base64-encoding and
    /// JSON-escaping some ten kilobytes per request. Base64 and the content type need no escaping.
    /// </summary>
    public byte[] ImagesJson { get; } = BuildImagesJson(Background, Piece, ContentType);

    private static byte[] BuildImagesJson(byte[] background, byte[] piece, string contentType)
    {
        var prefix = Encoding.ASCII.GetBytes("data:" + contentType + ";base64,");
        ReadOnlySpan<byte> start = "\"background\":\""u8;
        ReadOnlySpan<byte> middle = "\",\"piece\":\""u8;
        var length = start.Length + prefix.Length + Base64.GetMaxEncodedToUtf8Length(background.Length)
            + middle.Length + prefix.Length + Base64.GetMaxEncodedToUtf8Length(piece.Length) + 1;
        var json = new byte[length];
        var span = json.AsSpan();
        var at = Append(span, 0, start);
        at = Append(span, at, prefix);
        Base64.EncodeToUtf8(background, span[at..], out _, out var written);
        at = Append(span, at + written, middle);
        at = Append(span, at, prefix);
        Base64.EncodeToUtf8(piece, span[at..], out _, out written);
        at += written;
        json[at] = (byte)'"';
        return json;
    }

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }
}
