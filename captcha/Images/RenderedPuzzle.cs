namespace RedisRing.Captcha.Images;

/// <summary>The encoded background (with its notch and decoys) and the piece cut from it.</summary>
internal sealed record RenderedPuzzle(byte[] Background, byte[] Piece, string ContentType, int PieceSize);
