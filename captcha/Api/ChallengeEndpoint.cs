using System.Buffers;
using System.Globalization;
using System.Text.Json;
using RedisRing.Captcha.Images;
using RedisRing.Captcha.RateLimiting;
using RedisRing.Captcha.Settings;
using RedisRing.Captcha.State;
using RedisRing.Captcha.Tokens;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Api;

/// <summary><c>POST /api/v1/challenge</c>: issues a challenge for a site's widget.</summary>
internal sealed partial class ChallengeEndpoint(
    ISiteSettingsProvider sites,
    RedisRateLimiter limiter,
    CaptchaStore store,
    PuzzlePool pool,
    ClientAddressGrouping grouping,
    TokenSigner signer,
    TimeProvider time,
    ILogger<ChallengeEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var (request, error) = await RequestBody.ReadAsync(context, ParseRequest);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrEmpty(request!.SiteKey))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "missing-site-key", "siteKey is required.");
        }

        if (!sites.TryGet(request.SiteKey, out var site))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "unknown-site-key", "No site has this site key.");
        }

        if (request.Action is not null && !ActionName.IsValid(request.Action))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-action", "action must be 1-64 characters of [A-Za-z0-9_/-].");
        }

        if (request.Cdata is not null && !Cdata.IsValid(request.Cdata))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid-cdata", $"cdata must be 1-{Cdata.MaxLength} characters of [A-Za-z0-9_-].");
        }

        var client = ClientInfo.From(context, grouping);
        if (site.AllowedHostnames.Count > 0 && !site.AllowedHostnames.Contains(client.Hostname))
        {
            LogHostnameRefused(site.SiteKey, client.Hostname);
            return ApiResults.Error(StatusCodes.Status403Forbidden, "hostname-not-allowed", "This page's hostname may not use this site key.");
        }

        var limit = await CheckLimitsAsync(site, client.Ip);
        if (!limit.Allowed)
        {
            LogRateLimited(site.SiteKey, client.Ip, limit.Limit!);
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(limit.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return ApiResults.Error(StatusCodes.Status429TooManyRequests, limit.Limit!, "Too many challenges; try again later.");
        }

        var (puzzle, x, y) = pool.Take(PuzzleLook.Of(site));

        var id = Ids.New(Ids.ChallengeIdBytes);
        var now = time.GetUtcNow();
        var record = new ChallengeRecord(site.SiteKey, (double)x / site.ImageWidth, now.ToUnixTimeMilliseconds(), client.Hostname, request.Action, client.Ip, request.Cdata);
        await store.SaveChallengeAsync(id, record, TimeSpan.FromSeconds(site.ChallengeTtlSeconds), TimeSpan.FromSeconds(site.TokenTtlSeconds));

        // The id the client gets is signed: a made-up or altered one is refused before Redis is
        // asked. The cdata stays in Redis only (it reaches the pass token from there), which keeps
        // challenge ids short.
        var challengeId = signer.Sign(new TokenClaims(
            TokenKind.Challenge, site.SiteKey, id, now.ToUnixTimeSeconds() + site.ChallengeTtlSeconds, record.IssuedAtMs, client.Hostname, request.Action, client.Ip, null));

        context.Response.Headers.CacheControl = "no-store";
        // Bound to this challenge through its salt (see ProofOfWork): nothing more to store.
        var pow = new ProofOfWorkChallenge(
            "SHA-256",
            ProofOfWork.SaltOf(challengeId),
            site.AllowKeyboard ? site.KeyboardPowBits : null,
            site.AllowAccessible ? site.AccessiblePowBits : null);
        return new ChallengeResult(challengeId, site.ImageWidth, site.ImageHeight, y, site.ChallengeTtlSeconds, puzzle, pow);
    }

    /// <summary>The body, parsed from the bytes Kestrel already holds (no stream over them).</summary>
    private static ChallengeRequest? ParseRequest(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        return JsonSerializer.Deserialize(ref reader, ApiJsonContext.Default.ChallengeRequest);
    }

    private async Task<RateLimitDecision> CheckLimitsAsync(SiteSettings site, string clientIp)
    {
        try
        {
            return await limiter.CheckChallengeAsync(site, clientIp);
        }
        catch (StoreUnavailableException) when (site.FailOpen)
        {
            // Fail open: no counters without Redis. Saving the challenge below still needs Redis,
            // so this only matters when Redis comes back between the two calls.
            return RateLimitDecision.Allow;
        }
    }
}
