using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Images;

/// <summary>
/// What to render: the image size and look, where the (secret) hole goes, and where its decoys
/// go on the same row (null: the renderer places them, for callers that do not care how).
/// </summary>
internal readonly record struct PuzzleSpec(int Width, int Height, string Theme, int Decoys, ImageFormat Format, int PieceX, int PieceY, int[]? DecoyXs = null);
