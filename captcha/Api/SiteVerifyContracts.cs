using System.Text.Json.Serialization;

namespace RedisRing.Captcha.Api;

/// <summary>Body of <c>POST /siteverify</c> when sent as JSON (the form fields have the same names).</summary>
internal sealed record SiteVerifyRequest(
    [property: JsonPropertyName("secret")] string? Secret,
    [property: JsonPropertyName("response")] string? Response,
    [property: JsonPropertyName("remoteip")] string? RemoteIp,
    [property: JsonPropertyName("idempotency_key")] string? IdempotencyKey);

/// <summary>
/// The siteverify answer, shaped like reCAPTCHA's and Turnstile's so existing client code fits;
/// <c>cdata</c> (the site's data given with the challenge) only when there was some; <c>input</c>
/// (pointer, keyboard or accessible) and <c>score</c> (0.0-1.0, see <c>AnswerScore</c>) with a success.
/// </summary>
internal sealed record SiteVerifyResponse(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("challenge_ts")] string? ChallengeTs,
    [property: JsonPropertyName("hostname")] string? Hostname,
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("error-codes")] IReadOnlyList<string> ErrorCodes,
    [property: JsonPropertyName("cdata")] string? Cdata = null,
    [property: JsonPropertyName("input")] string? Input = null,
    [property: JsonPropertyName("score")] double? Score = null);
