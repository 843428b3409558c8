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

        var challenge = await store.TakeChallengeAsync(request.ChallengeId!);
        if (challenge is null || !sites.TryGet(challenge.SiteKey, out var site))
        {
            return ApiResults.Error(StatusCodes.Status410Gone, "challenge-expired-or-used", "This challenge has expired or was already answered; request a new one.");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var offset = request.Offset!.Value;
        var verdict = TrackAnalyzer.Analyze(request.Track, kind, offset, now - challenge.IssuedAtMs, site.MinSolveMilliseconds, site.AllowKeyboard, HumanLikenessThresholds.Default);
        var positionOk = Math.Abs(offset - challenge.X) <= site.Tolerance;
        if (!positionOk || verdict != TrackVerdict.Human)
        {
            await RecordFailureAsync(site, challenge.ClientIp);
            // The client learns whether the position or the motion was wrong, never which motion
            // check failed: that detail would teach a bot what to fix. It goes to the log.
            LogRefused(site.SiteKey, challenge.ClientIp, positionOk ? "position-ok" : "wrong-position", verdict);
            var code = positionOk ? "track-rejected" : "wrong-position";
            return ApiResults.Json(new VerifyResponse(false, null, null, code), ApiJsonContext.Default.VerifyResponse);
        }

        var tokenId = Ids.New(Ids.TokenIdBytes);
        await store.SavePassAsync(site.SiteKey, tokenId, new PassRecord(site.SiteKey, now, challenge.Hostname, challenge.Action), TimeSpan.FromSeconds(site.TokenTtlSeconds));
        LogPassed(site.SiteKey);
        return ApiResults.Json(new VerifyResponse(true, PassToken.Format(site.SiteKey, tokenId), site.TokenTtlSeconds, null), ApiJsonContext.Default.VerifyResponse);
    }

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
