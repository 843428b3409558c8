namespace RedisRing.Captcha.Api;

/// <summary>Body of <c>POST /api/v1/challenge</c>.</summary>
/// <param name="SiteKey">The site's public key.</param>
/// <param name="Action">Optional label, reported back by siteverify.</param>
/// <param name="Cdata">Optional site data (1-255 of [A-Za-z0-9_-]), echoed back by siteverify.</param>
internal sealed record ChallengeRequest(string? SiteKey, string? Action, string? Cdata = null);

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
    int ExpiresIn,
    ProofOfWorkChallenge? Pow = null);

/// <summary>
/// The proof of work a keyboard or accessible answer to this challenge must carry: a nonce such
/// that SHA-256 of the ASCII text salt + nonce (decimal) starts with the given number of zero
/// bits. The salt is derived from the challenge id. A bits field is absent when the site does not
/// accept that kind of answer.
/// </summary>
internal sealed record ProofOfWorkChallenge(string Algorithm, string Salt, int? KeyboardBits, int? AccessibleBits);
