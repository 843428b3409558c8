using RedisRing.Captcha.RateLimiting;
using RedisRing.Captcha.Settings;
using RedisRing.Captcha.State;
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
    TimeProvider time,
    ILogger<VerifyEndpoint> logger)
{
    internal const int MaxTrackPoints = 1000;

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
        return await JudgeAsync(answer);
    }

    private async Task<IResult> JudgeAsync(VerifyAnswer request)
    {
        var invalid = Validate(request, out var kind);
        if (invalid is not null)
        {
            return invalid;
        }

        // One script takes the challenge and stages the pass a right answer earns; a refused
        // answer deletes the staged pass, whose id nobody but this method has seen.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var tokenId = TokenIds.ForChallenge(request.ChallengeId!);
        var challenge = await store.TakeChallengeAsync(request.ChallengeId!, tokenId, now);
        if (challenge is null)
        {
            return Gone();
        }

        if (!sites.TryGet(challenge.SiteKey, out var site))
        {
            await DiscardPassAsync(tokenId);
            return Gone();
        }

        var offset = request.Offset!.Value;
        var verdict = TrackAnalyzer.Analyze(request.Track, kind, offset, now - challenge.IssuedAtMs, site.MinSolveMilliseconds, site.AllowKeyboard, HumanLikenessThresholds.Default);
        var positionOk = Math.Abs(offset - challenge.X) <= site.Tolerance;
        if (!positionOk || verdict != TrackVerdict.Human)
        {
            await Task.WhenAll(DiscardPassAsync(tokenId), RecordFailureAsync(site, challenge.ClientIp));
            // One code for every refusal: telling a wrong position from a rejected motion would
            // be an oracle (a bot with a good track could binary-search the notch, or learn that
            // only its track needs work). The detail goes to the log only.
            LogRefused(site.SiteKey, challenge.ClientIp, positionOk ? "position-ok" : "wrong-position", verdict);
            return ApiResults.Json(new VerifyResponse(false, null, null, AnswerRejected), ApiJsonContext.Default.VerifyResponse);
        }

        LogPassed(site.SiteKey);
        return ApiResults.Json(new VerifyResponse(true, PassToken.Format(site.SiteKey, tokenId), site.TokenTtlSeconds, null), ApiJsonContext.Default.VerifyResponse);
    }

    private static IResult Gone() =>
        ApiResults.Error(StatusCodes.Status410Gone, "challenge-expired-or-used", "This challenge has expired or was already answered; request a new one.");

    private static IResult? Validate(VerifyAnswer request, out InputKind kind)
    {
        kind = InputKind.Pointer;
        if (!Ids.IsWellFormed(request.ChallengeId, Ids.ChallengeIdBytes))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-challenge-id", "challengeId is missing or malformed.");
        }

        if (request.Offset is not { } offset || !double.IsFinite(offset) || offset is < 0 or > 1)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-offset", "offset must be a number from 0 to 1.");
        }

        if (request.Input is not (null or "pointer" or "keyboard"))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-input", "input must be \"pointer\" or \"keyboard\".");
        }

        kind = request.Input == "keyboard" ? InputKind.Keyboard : InputKind.Pointer;
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
