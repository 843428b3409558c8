namespace RedisRing.Captcha.Api;

/// <summary>One track sample: x and y as fractions of the rendered width, t in ms since the drag began.</summary>
internal sealed record TrackPointDto(double X, double Y, double T);

/// <summary>Body of <c>POST /api/v1/verify</c>.</summary>
/// <param name="ChallengeId">The id from the challenge response.</param>
/// <param name="Offset">The piece's final left edge as a fraction of the rendered width (not for "accessible").</param>
/// <param name="Input">"pointer" (default), "keyboard" or "accessible".</param>
/// <param name="Track">The drag samples, at most 1000 (not for "accessible").</param>
/// <param name="Nonce">The proof of work's solution, required for "keyboard" and "accessible" (see the challenge's pow).</param>
internal sealed record VerifyRequest(string? ChallengeId, double? Offset, string? Input, List<TrackPointDto>? Track, long? Nonce = null);

/// <summary>The answer's outcome: a pass token on success, or an error code on refusal.</summary>
internal sealed record VerifyResponse(bool Success, string? Token, int? ExpiresIn, string? Error);
