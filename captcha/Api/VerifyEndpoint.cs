using RedisRing.Captcha.RateLimiting;
using RedisRing.Captcha.Settings;
using RedisRing.Captcha.State;
using RedisRing.Captcha.Tokens;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Api;

/// <summary>
/// <c>POST /api/v1/verify</c>: checks an answer once. The challenge is taken out of Redis
/// (GETDEL) before anything is judged, so a second answer to it, concurrent or later, finds
/// nothing: one attempt per challenge.
/// </summary>
internal sealed partial class VerifyEndpoint(
    ISiteSettingsProvider sites,
    RedisRateLimiter limiter,
    CaptchaStore store,
    TokenSigner signer,
    TokenOptions tokens,
    ClientAddressGrouping grouping,
    TimeProvider time,
    ILogger<VerifyEndpoint> logger)
{
    internal const int MaxTrackPoints = 1000;

    // A site key and base64url parts joined by dots.
    private static readonly System.Buffers.SearchValues<char> ChallengeIdCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.");

    /// <summary>The one error code of a refused answer, whatever was wrong with it.</summary>
    internal const string AnswerRejected = "answer-rejected";

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var (request, error) = await RequestBody.ReadAsync(context, static body => VerifyRequestParser.Parse(body, MaxTrackPoints + 1));
        if (error is not null)
        {
            return error;
        }

        using var answer = request!;
        return await JudgeAsync(context, answer);
    }

    private async Task<IResult> JudgeAsync(HttpContext context, VerifyAnswer request)
    {
        var invalid = Validate(request, out var kind);
        if (invalid is not null)
        {
            return invalid;
        }

        // The signature first: a made-up or altered id never reaches Redis.
        var check = signer.Verify(request.ChallengeId, TokenKind.Challenge);
        if (check.Status == TokenStatus.Expired)
        {
            return Gone();
        }

        if (!check.IsValid)
        {
            return InvalidChallengeId();
        }

        var issued = check.Claims!;
        if (tokens.BindClientIp && issued.Client != ClientInfo.From(context, grouping).Ip)
        {
            // Left in Redis: the client it was issued to may still answer it.
            LogClientMismatch(issued.SiteKey);
            return ApiResults.Error(StatusCodes.Status403Forbidden, "client-mismatch", "This challenge was issued to another client; request a new one.");
        }

        if (kind == InputKind.Accessible)
        {
            var limited = await CheckAccessibleLimitAsync(context, issued);
            if (limited is not null)
            {
                return limited;
            }
        }

        // One script takes the challenge and stages the pass a right answer earns; a refused
        // answer deletes the staged pass, whose id nobody but this method has seen.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var tokenId = TokenIds.ForChallenge(issued.Id);
        var challenge = await store.TakeChallengeAsync(issued.Id, tokenId, now);
        if (challenge is null)
        {
            return Gone();
        }

        if (challenge.SiteKey != issued.SiteKey || !sites.TryGet(challenge.SiteKey, out var site))
        {
            await DiscardPassAsync(tokenId);
            return Gone();
        }

        var (positionOk, verdict) = Judge(request, kind, challenge, site, now - challenge.IssuedAtMs);
        if (!positionOk || verdict != TrackVerdict.Human)
        {
            await Task.WhenAll(DiscardPassAsync(tokenId), RecordFailureAsync(site, challenge.ClientIp));
            // One code for every refusal: telling a wrong position from a rejected motion would
            // be an oracle (a bot with a good track could binary-search the notch, or learn that
            // only its track needs work). The detail goes to the log only.
            LogRefused(site.SiteKey, challenge.ClientIp, InputKindNames.Of(kind), kind == InputKind.Accessible ? "no-position" : positionOk ? "position-ok" : "wrong-position", verdict);
            return ApiResults.Json(new VerifyResponse(false, null, null, AnswerRejected), ApiJsonContext.Default.VerifyResponse);
        }

        LogPassed(site.SiteKey);
        // Everything siteverify reports is signed into the token, so that it can answer (and
        // check remoteip) from the token alone when a site fails open without Redis.
        var token = signer.Sign(new TokenClaims(
            TokenKind.Pass, site.SiteKey, tokenId, (now / 1000) + site.TokenTtlSeconds, now, challenge.Hostname, challenge.Action, challenge.ClientIp, challenge.Cdata, kind));
        return ApiResults.Json(new VerifyResponse(true, token, site.TokenTtlSeconds, null), ApiJsonContext.Default.VerifyResponse);
    }

    /// <summary>
    /// The checks each input kind faces. Pointer: position and motion. Keyboard: position, key
    /// timing and the keyboard proof of work. Accessible: no position, the larger proof of work.
    /// The proof of work is checked against the site's current difficulty and the salt of the
    /// very challenge id answered, so a solution of another challenge never fits.
    /// </summary>
    private static (bool PositionOk, TrackVerdict Verdict) Judge(VerifyAnswer request, InputKind kind, ChallengeRecord challenge, SiteSettings site, double elapsedMs)
    {
        if (kind == InputKind.Accessible)
        {
            var verdict = elapsedMs < site.MinSolveMilliseconds ? TrackVerdict.SolvedTooFast
                : !site.AllowAccessible ? TrackVerdict.AccessibleNotAllowed
                : CheckProofOfWork(request, site.AccessiblePowBits);
            return (true, verdict);
        }

        var offset = request.Offset!.Value;
        var trackVerdict = TrackAnalyzer.Analyze(request.Track, kind, offset, elapsedMs, site.MinSolveMilliseconds, site.AllowKeyboard, HumanLikenessThresholds.Default);
        if (kind == InputKind.Keyboard && trackVerdict == TrackVerdict.Human)
        {
            trackVerdict = CheckProofOfWork(request, site.KeyboardPowBits);
        }

        return (Math.Abs(offset - challenge.X) <= site.Tolerance, trackVerdict);
    }

    private static TrackVerdict CheckProofOfWork(VerifyAnswer request, int bits)
    {
        if (bits == 0)
        {
            return TrackVerdict.Human;
        }

        if (request.Nonce is not { } nonce)
        {
            return TrackVerdict.ProofOfWorkMissing;
        }

        return ProofOfWork.IsSolution(ProofOfWork.SaltOf(request.ChallengeId!), nonce, bits) ? TrackVerdict.Human : TrackVerdict.ProofOfWorkWrong;
    }

    /// <summary>
    /// The accessible path's own per-client bucket, counted before the challenge is taken: a
    /// client over it gets a 429 and keeps its challenge (the puzzle still works).
    /// </summary>
    private async Task<IResult?> CheckAccessibleLimitAsync(HttpContext context, TokenClaims issued)
    {
        if (!sites.TryGet(issued.SiteKey, out var site) || !site.AllowAccessible)
        {
            // Judged (and refused) with the challenge like any other answer.
            return null;
        }

        RateLimitDecision limit;
        try
        {
            limit = await limiter.CheckAccessibleAnswerAsync(site, issued.Client);
        }
        catch (StoreUnavailableException) when (site.FailOpen)
        {
            return null;
        }

        if (limit.Allowed)
        {
            return null;
        }

        LogAccessibleLimited(site.SiteKey, issued.Client);
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(limit.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiResults.Error(StatusCodes.Status429TooManyRequests, limit.Limit!, "Too many answers without the puzzle; solve the puzzle or try again later.");
    }

    private static IResult InvalidChallengeId() =>
        ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-challenge-id", "challengeId is missing or malformed.");

    private static IResult Gone() =>
        ApiResults.Error(StatusCodes.Status410Gone, "challenge-expired-or-used", "This challenge has expired or was already answered; request a new one.");

    private static IResult? Validate(VerifyAnswer request, out InputKind kind)
    {
        kind = InputKind.Pointer;
        // Only the shape here; the signature is checked once the whole request is known to be sane.
        if (!IsChallengeIdShaped(request.ChallengeId))
        {
            return InvalidChallengeId();
        }

        if (!InputKindNames.TryParse(request.Input, out kind))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-input", "input must be \"pointer\", \"keyboard\" or \"accessible\".");
        }

        if (request.Nonce is < 0 or > ProofOfWork.MaxNonce)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-nonce", $"nonce must be an integer from 0 to {ProofOfWork.MaxNonce}.");
        }

        if (kind == InputKind.Accessible)
        {
            // No puzzle was solved: an offset or track, if sent, means nothing and is not read.
            return null;
        }

        if (request.Offset is not { } offset || !double.IsFinite(offset) || offset is < 0 or > 1)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-offset", "offset must be a number from 0 to 1.");
        }

        if (!request.HasTrack || request.Count is < 1 or > MaxTrackPoints)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-track", $"track must hold 1 to {MaxTrackPoints} points.");
        }

        var nullPoint = request.HasNullPoint;
        foreach (var p in request.Track)
        {
            if (nullPoint || !double.IsFinite(p.X) || !double.IsFinite(p.Y) || !double.IsFinite(p.T) || Math.Abs(p.X) > 10 || Math.Abs(p.Y) > 10 || p.T is < 0 or > 600_000)
            {
                return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-track", "track points need finite x, y (fractions of width) and t (ms, 0-600000).");
            }
        }

        return null;
    }

    private static bool IsChallengeIdShaped(string? id) =>
        id is { Length: > 0 and <= TokenFormat.MaxLength } && id.AsSpan().IndexOfAnyExcept(ChallengeIdCharacters) < 0;

    private async Task DiscardPassAsync(string tokenId)
    {
        try
        {
            await store.DeletePassAsync(tokenId);
        }
        catch (StoreUnavailableException)
        {
            // The staged pass then expires with its TTL; its id was never sent to anyone, so
            // nobody can redeem it meanwhile.
        }
    }

    private async Task RecordFailureAsync(SiteSettings site, string clientIp)
    {
        try
        {
            await limiter.RecordFailureAsync(site, clientIp);
        }
        catch (StoreUnavailableException) when (site.FailOpen)
        {
            // The answer was refused anyway; a lost failure count is the fail-open trade-off.
        }
    }
}
