namespace RedisRing.Captcha.Images;

/// <summary>A pooled puzzle and how many more challenges it may still be issued to.</summary>
internal readonly record struct PoolEntry(PooledPuzzle Puzzle, int ServesLeft);
