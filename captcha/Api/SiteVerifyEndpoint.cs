using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RedisRing.Captcha.Settings;
using RedisRing.Captcha.State;

namespace RedisRing.Captcha.Api;

/// <summary>
/// <c>POST /siteverify</c>: the site's backend redeems a pass token with its secret, once. The
/// answers follow reCAPTCHA and Turnstile: token and secret problems are a 200 with
/// <c>success: false</c> and error codes, a malformed request is a 400.
/// </summary>
internal sealed partial class SiteVerifyEndpoint(ISiteSettingsProvider sites, CaptchaStore store, TimeProvider time, ILogger<SiteVerifyEndpoint> logger)
{
    private const int MaxFieldLength = 512;
    private const string StoreUnavailable = "store-unavailable";
    private static readonly TimeSpan IdempotencyTtl = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan IdempotencyWait = TimeSpan.FromSeconds(5);

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var (request, error) = await ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        var missing = new List<string>(2);
        if (string.IsNullOrEmpty(request!.Secret))
        {
            missing.Add("missing-input-secret");
        }

        if (string.IsNullOrEmpty(request.Response))
        {
            missing.Add("missing-input-response");
        }

        if (missing.Count > 0)
        {
            return Answer(Failure([.. missing]), StatusCodes.Status400BadRequest);
        }

        if (request.Secret!.Length > MaxFieldLength || request.Response!.Length > MaxFieldLength || request.IdempotencyKey?.Length > MaxFieldLength)
        {
            return Answer(Failure("bad-request"), StatusCodes.Status400BadRequest);
        }

        if (!PassToken.TryParse(request.Response, out var siteKey, out var tokenId) || !sites.TryGet(siteKey, out var site))
        {
            return Answer(Failure("invalid-input-response"));
        }

        if (!SecretHash.Matches(request.Secret, site.SecretHash))
        {
            LogInvalidSecret(site.SiteKey);
            return Answer(Failure("invalid-input-secret"));
        }

        try
        {
            return string.IsNullOrEmpty(request.IdempotencyKey)
                ? Answer(await RedeemAsync(site, tokenId))
                : await RedeemIdempotentAsync(site, tokenId, request.IdempotencyKey);
        }
        catch (StoreUnavailableException) when (site.FailOpen)
        {
            LogFailOpen(site.SiteKey);
            return Answer(new SiteVerifyResponse(true, null, null, null, ["store-unavailable-fail-open"]));
        }
        catch (StoreUnavailableException)
        {
            // In siteverify's own shape, so a site's backend reads every answer the same way.
            return Answer(Failure(StoreUnavailable), StatusCodes.Status503ServiceUnavailable);
        }
    }

    private async Task<SiteVerifyResponse> RedeemAsync(SiteSettings site, string tokenId)
    {
        var pass = await store.TakePassAsync(site.SiteKey, tokenId);
        if (pass is null)
        {
            return Failure("timeout-or-duplicate");
        }

        var solvedAt = DateTimeOffset.FromUnixTimeMilliseconds(pass.SolvedAtMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        return new SiteVerifyResponse(true, solvedAt, pass.Hostname, pass.Action, []);
    }

    /// <summary>
    /// The first call with a key claims it, redeems and stores its answer; a retry with the same
    /// key (even while the first is still running) gets that stored answer, not a "duplicate".
    /// </summary>
    private async Task<IResult> RedeemIdempotentAsync(SiteSettings site, string tokenId, string idempotencyKey)
    {
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
        var key = RedisKeys.Idempotency(site.SiteKey, keyHash);
        if (await store.TryClaimIdempotencyAsync(key, IdempotencyTtl))
        {
            var answer = await RedeemAsync(site, tokenId);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(answer, ApiJsonContext.Default.SiteVerifyResponse);
            await store.SaveIdempotentAnswerAsync(key, bytes, IdempotencyTtl);
            return Results.Bytes(bytes, "application/json");
        }

        var deadline = time.GetUtcNow() + IdempotencyWait;
        while (time.GetUtcNow() < deadline)
        {
            if (await store.GetIdempotentAnswerAsync(key) is { } stored)
            {
                return Results.Bytes(stored, "application/json");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time);
        }

        return ApiResults.Error(StatusCodes.Status409Conflict, "idempotent-call-in-progress", "A call with this idempotency key is still running; retry later.");
    }

    private static async Task<(SiteVerifyRequest? Request, IResult? Error)> ReadAsync(HttpContext context)
    {
        if (context.Request.HasFormContentType)
        {
            try
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                return (new SiteVerifyRequest(form["secret"], form["response"], form["remoteip"], form["idempotency_key"]), null);
            }
            catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
            {
                return (null, Answer(Failure("bad-request"), StatusCodes.Status400BadRequest));
            }
        }

        if (context.Request.HasJsonContentType())
        {
            var (request, error) = await RequestBody.ReadJsonAsync(context, ApiJsonContext.Default.SiteVerifyRequest);
            return error is null ? (request, null) : (null, Answer(Failure("bad-request"), StatusCodes.Status400BadRequest));
        }

        return (null, Answer(Failure("bad-request"), StatusCodes.Status400BadRequest));
    }

    private static SiteVerifyResponse Failure(params string[] codes) => new(false, null, null, null, codes);

    private static IResult Answer(SiteVerifyResponse response, int status = StatusCodes.Status200OK) =>
        ApiResults.Json(response, ApiJsonContext.Default.SiteVerifyResponse, status);
}
