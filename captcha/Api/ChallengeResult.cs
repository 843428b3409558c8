using System.Buffers;
using System.Buffers.Text;
using RedisRing.Captcha.Images;

namespace RedisRing.Captcha.Api;

/// <summary>
/// Writes a <see cref="ChallengeResponse"/> straight into the response pipe: the small fields are
/// formatted in place and the images are the puzzle's pre-built JSON bytes, so issuing copies
/// about ten kilobytes instead of base64-encoding and escaping them per request. Same JSON as
/// the source-generated serializer would write, property for property.
/// </summary>
internal sealed class ChallengeResult(string challengeId, int width, int height, int pieceY, int expiresIn, RenderedPuzzle puzzle, ProofOfWorkChallenge pow) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        // A signed challenge id is at most TokenFormat.MaxLength characters, so this stays small.
        Span<byte> head = stackalloc byte[160 + challengeId.Length];
        var at = Append(head, 0, "{\"challengeId\":\""u8);
        // Challenge ids are a site key and base64url parts joined by dots: nothing in them needs escaping.
        at += System.Text.Encoding.ASCII.GetBytes(challengeId, head[at..]);
        at = AppendNumber(head, Append(head, at, "\",\"width\":"u8), width);
        at = AppendNumber(head, Append(head, at, ",\"height\":"u8), height);
        at = AppendNumber(head, Append(head, at, ",\"pieceSize\":"u8), puzzle.PieceSize);
        at = AppendNumber(head, Append(head, at, ",\"pieceY\":"u8), pieceY);
        at = Append(head, at, ","u8);
        Span<byte> tail = stackalloc byte[160];
        var tailLength = AppendNumber(tail, Append(tail, 0, ",\"expiresIn\":"u8), expiresIn);
        tailLength = Append(tail, tailLength, ",\"pow\":{\"algorithm\":\"SHA-256\",\"salt\":\""u8);
        // The salt is 32 hex digits: nothing to escape.
        tailLength += System.Text.Encoding.ASCII.GetBytes(pow.Salt, tail[tailLength..]);
        tailLength = Append(tail, tailLength, "\""u8);
        if (pow.KeyboardBits is { } keyboardBits)
        {
            tailLength = AppendNumber(tail, Append(tail, tailLength, ",\"keyboardBits\":"u8), keyboardBits);
        }

        if (pow.AccessibleBits is { } accessibleBits)
        {
            tailLength = AppendNumber(tail, Append(tail, tailLength, ",\"accessibleBits\":"u8), accessibleBits);
        }

        tailLength = Append(tail, tailLength, "}}"u8);

        var response = httpContext.Response;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = at + puzzle.ImagesJson.Length + tailLength;
        var writer = response.BodyWriter;
        writer.Write(head[..at]);
        writer.Write(puzzle.ImagesJson);
        writer.Write(tail[..tailLength]);
        return writer.FlushAsync(httpContext.RequestAborted).AsTask();
    }

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }

    private static int AppendNumber(Span<byte> destination, int at, int value)
    {
        Utf8Formatter.TryFormat(value, destination[at..], out var written);
        return at + written;
    }
}
