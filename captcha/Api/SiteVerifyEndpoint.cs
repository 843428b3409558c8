using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RedisRing.Captcha.Settings;
using RedisRing.Captcha.State;
using RedisRing.Captcha.Tokens;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Api;

/// <summary>
/// <c>POST /siteverify</c>: the site's backend redeems a pass token with its secret, once. The
/// answers follow reCAPTCHA and Turnstile: token and secret problems are a 200 with
/// <c>success: false</c> and error codes, a malformed request is a 400. The token's signature,
/// expiry, secret and remoteip are checked before Redis is asked; Redis makes it single use.
/// </summary>
internal sealed partial class SiteVerifyEndpoint(
    ISiteSettingsProvider sites,
    CaptchaStore store,
    TokenSigner signer,
    ClientAddressGrouping grouping,
    TimeProvider time,
    ILogger<SiteVerifyEndpoint> logger)
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

        if (request.Secret!.Length > MaxFieldLength || request.Response!.Length > TokenFormat.MaxLength || request.IdempotencyKey?.Length > MaxFieldLength || request.RemoteIp?.Length > MaxFieldLength)
        {
            return Answer(Failure("bad-request"), StatusCodes.Status400BadRequest);
        }

        string? remoteGroup = null;
        if (!string.IsNullOrEmpty(request.RemoteIp) && !grouping.TryGroupOf(request.RemoteIp, out remoteGroup))
        {
            return Answer(Failure("bad-request"), StatusCodes.Status400BadRequest);
        }

        // Forged, altered, of a retired key or of the wrong kind: not one of ours.
        var check = signer.Verify(request.Response, TokenKind.Pass);
        if (check.Claims is not { } token || !sites.TryGet(token.SiteKey, out var site))
        {
            return Answer(Failure("invalid-input-response"));
        }

        if (!SecretHash.Matches(request.Secret, site.SecretHash))
        {
            LogInvalidSecret(site.SiteKey);
            return Answer(Failure("invalid-input-secret"));
        }

        if (check.Status == TokenStatus.Expired)
        {
            return Answer(Failure("timeout-or-duplicate"));
        }

        if (remoteGroup is not null && remoteGroup != token.Client)
        {
            // Not redeemed: someone else presenting a token does not burn it for its owner.
            LogRemoteIpMismatch(site.SiteKey);
            return Answer(Failure("remoteip-mismatch"));
        }

        var tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(request.Response));
        try
        {
            return string.IsNullOrEmpty(request.IdempotencyKey)
                ? Answer(await RedeemAsync(site, token))
                : await RedeemIdempotentAsync(site, token, tokenHash, request.IdempotencyKey);
        }
        catch (StoreUnavailableException) when (site.FailOpen)
        {
            // Only a token that verified above gets here: signed by us, unexpired, this site's,
            // presented with the right secret. What is lost is single use (see docs/captcha.md).
            LogFailOpen(site.SiteKey);
            return Answer(Success(token, ["store-unavailable-fail-open"]));
        }
        catch (StoreUnavailableException)
        {
            // In siteverify's own shape, so a site's backend reads every answer the same way.
            return Answer(Failure(StoreUnavailable), StatusCodes.Status503ServiceUnavailable);
        }
    }

    private async Task<SiteVerifyResponse> RedeemAsync(SiteSettings site, TokenClaims token)
    {
        var pass = await store.TakePassAsync(site.SiteKey, token.Id);
        return pass is null ? Failure("timeout-or-duplicate") : Success(token, []);
    }

    /// <summary>
    /// The first call with a key claims it for this token, redeems and stores its answer; a retry
    /// with the same key and token (even while the first is still running) gets that stored
    /// answer, not a "duplicate". The same key with another token is refused: it would otherwise
    /// be handed the first token's success.
    /// </summary>
    private async Task<IResult> RedeemIdempotentAsync(SiteSettings site, TokenClaims token, byte[] tokenHash, string idempotencyKey)
    {
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
        var key = RedisKeys.Idempotency(site.SiteKey, keyHash);
        if (await store.TryClaimIdempotencyAsync(key, IdempotencyRecord.Pending(tokenHash), IdempotencyTtl))
        {
            var answer = await RedeemAsync(site, token);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(answer, ApiJsonContext.Default.SiteVerifyResponse);
            await store.SaveIdempotentAnswerAsync(key, IdempotencyRecord.Answered(tokenHash, bytes), IdempotencyTtl);
            return Results.Bytes(bytes, "application/json");
        }

        var deadline = time.GetUtcNow() + IdempotencyWait;
        while (time.GetUtcNow() < deadline)
        {
            if (await store.GetIdempotencyAsync(key) is { } stored && IdempotencyRecord.TryDecode(stored, out var firstTokenHash, out var answer))
            {
                if (!CryptographicOperations.FixedTimeEquals(firstTokenHash, tokenHash))
                {
                    return Answer(Failure("idempotency-key-reused"), StatusCodes.Status422UnprocessableEntity);
                }

                if (answer is not null)
                {
                    return Results.Bytes(answer, "application/json");
                }
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

    private static SiteVerifyResponse Success(TokenClaims token, string[] codes)
    {
        var solvedAt = DateTimeOffset.FromUnixTimeMilliseconds(token.IssuedAtMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        // Tokens of format version 1 (issued before input kinds existed) report neither.
        return token.Input is { } input
            ? new SiteVerifyResponse(true, solvedAt, token.Hostname, token.Action, codes, token.Cdata, InputKindNames.Of(input), AnswerScore.Of(input))
            : new SiteVerifyResponse(true, solvedAt, token.Hostname, token.Action, codes, token.Cdata);
    }

    private static SiteVerifyResponse Failure(params string[] codes) => new(false, null, null, null, codes);

    private static IResult Answer(SiteVerifyResponse response, int status = StatusCodes.Status200OK) =>
        ApiResults.Json(response, ApiJsonContext.Default.SiteVerifyResponse, status);
}
