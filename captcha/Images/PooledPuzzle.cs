namespace RedisRing.Captcha.Images;

/// <summary>A rendered challenge waiting to be issued, with its secret position (pixels).</summary>
internal sealed record PooledPuzzle(RenderedPuzzle Puzzle, int PieceX, int PieceY);
