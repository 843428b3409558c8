using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.State;
using RedisRing.Captcha.Tokens;

namespace RedisRing.Captcha.Tests.Support;

/// <summary>
/// Drives the HTTP API as the widget and a site's backend would. The one thing no real client
/// can do, reading a challenge's secret position, is done by peeking into Redis directly.
/// </summary>
internal sealed class CaptchaClient(HttpClient http, Func<string, Task<string?>> readRedisKey)
{
    public HttpClient Http => http;

    public async Task<ChallengeResponse> IssueAsync(string siteKey, string? action = null, string? cdata = null)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/challenge", new { siteKey, action, cdata });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChallengeResponse>())!;
    }

    /// <summary>The secret x position (fraction of width), read from the challenge's Redis record.</summary>
    public async Task<double> SecretXAsync(string challengeId) => (await RecordAsync(challengeId)).X;

    /// <summary>The challenge's Redis record: what the service keeps about it (site, secret x, client).</summary>
    public async Task<ChallengeRecord> RecordAsync(string challengeId)
    {
        if (!TokenFormat.TryDecode(challengeId, out _, out var claims, out _, out _))
        {
            throw new InvalidOperationException("Not a challenge id: " + challengeId);
        }

        var value = await readRedisKey(RedisKeys.Challenge(claims.Id)) ?? throw new InvalidOperationException("The challenge is not in Redis.");
        return StoredChallenge.DecodeChallenge(System.Text.Encoding.UTF8.GetBytes(value));
    }

    public Task<HttpResponseMessage> PostVerifyAsync(string challengeId, double offset, List<TrackPointDto> track, string? input = null, long? nonce = null) =>
        http.PostAsJsonAsync("/api/v1/verify", new { challengeId, offset, input, track, nonce });

    public async Task<VerifyResponse> VerifyAsync(string challengeId, double offset, List<TrackPointDto> track, string? input = null, long? nonce = null)
    {
        using var response = await PostVerifyAsync(challengeId, offset, track, input, nonce);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VerifyResponse>())!;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SiteVerifyAsync(string? secret, string? token, string? idempotencyKey = null, string? remoteIp = null)
    {
        var fields = new Dictionary<string, string>();
        if (remoteIp is not null)
        {
            fields["remoteip"] = remoteIp;
        }

        if (secret is not null)
        {
            fields["secret"] = secret;
        }

        if (token is not null)
        {
            fields["response"] = token;
        }

        if (idempotencyKey is not null)
        {
            fields["idempotency_key"] = idempotencyKey;
        }

        using var content = new FormUrlEncodedContent(fields);
        using var response = await http.PostAsync(new Uri("/siteverify", UriKind.Relative), content);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body);
    }

    /// <summary>An accessible answer: no position, only the proof of work's nonce (null: none sent).</summary>
    public Task<HttpResponseMessage> PostAccessibleAsync(string challengeId, long? nonce) =>
        http.PostAsJsonAsync("/api/v1/verify", new { challengeId, input = "accessible", nonce });

    /// <summary>Issues a challenge and answers it correctly with a human track; returns the pass token.</summary>
    public async Task<string> SolveAsync(string siteKey, int seed = 1, string? action = null, string? cdata = null)
    {
        var challenge = await IssueAsync(siteKey, action, cdata);
        var x = await SecretXAsync(challenge.ChallengeId);
        await Task.Delay(TimeSpan.FromMilliseconds(int.Parse(TestSites.MinSolveMs, System.Globalization.CultureInfo.InvariantCulture) + 50));
        var result = await VerifyAsync(challenge.ChallengeId, x, Tracks.Human(x, seed));
        Assert.True(result.Success, "a correct human answer was refused: " + result.Error);
        return result.Token!;
    }
}
