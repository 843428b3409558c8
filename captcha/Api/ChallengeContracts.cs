namespace RedisRing.Captcha.Api;

/// <summary>Body of <c>POST /api/v1/challenge</c>.</summary>
internal sealed record ChallengeRequest(string? SiteKey, string? Action);

/// <summary>
/// A new challenge: the notched background and the piece as data URLs, and the piece's vertical
/// position. The horizontal position is the secret and is not here.
/// </summary>
internal sealed record ChallengeResponse(
    string ChallengeId,
    int Width,
    int Height,
    int PieceSize,
    int PieceY,
    string Background,
    string Piece,
    int ExpiresIn);
