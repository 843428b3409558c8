using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Images;

/// <summary>What to render: the image size and look, and where the (secret) notch goes.</summary>
internal readonly record struct PuzzleSpec(int Width, int Height, string Theme, int Decoys, ImageFormat Format, int PieceX, int PieceY);
