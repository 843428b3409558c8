using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;
using RedisRing.Captcha.Tokens;

namespace RedisRing.Captcha.Tests.Api;

/// <summary>Signed tokens end to end: key rotation, binding to the client, cdata and idempotency keys.</summary>
public sealed class SignedTokenTests(RedisBackedCaptcha captcha) : IClassFixture<RedisBackedCaptcha>
{
    private static readonly string NextKey = Convert.ToBase64String(SigningKeys.NewSecret());

    private readonly CaptchaClient _client = captcha.Client;

    private static string[] Codes(JsonElement body) => body.GetProperty("error-codes").EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task After_a_key_rotation_a_token_signed_by_the_previous_key_is_accepted()
    {
        var token = await _client.SolveAsync(TestSites.Main);
        await using var rotated = await CaptchaHost.StartAsync(
            captcha.RedisEndpoint, "--Tokens:CurrentKeyId", "test2", "--Tokens:CurrentKey", NextKey, "--Tokens:PreviousKeyId", TestSites.SigningKeyId, "--Tokens:PreviousKey", TestSites.SigningKey);

        var (_, body) = await new CaptchaClient(rotated.Http, captcha.ReadKeyAsync).SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), token);

        Assert.True(body.GetProperty("success").GetBoolean(), body.ToString());
    }

    [Fact]
    public async Task A_token_of_a_key_id_the_service_does_not_have_is_refused()
    {
        var token = await _client.SolveAsync(TestSites.Main);
        await using var retired = await CaptchaHost.StartAsync(captcha.RedisEndpoint, "--Tokens:CurrentKeyId", "test2", "--Tokens:CurrentKey", NextKey);

        var (status, body) = await new CaptchaClient(retired.Http, captcha.ReadKeyAsync).SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["invalid-input-response"], Codes(body));
    }

    [Fact]
    public async Task A_token_with_a_wrong_signature_is_refused_and_a_made_up_challenge_id_too()
    {
        var token = await _client.SolveAsync(TestSites.Main);
        var parts = token.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + new string('A', parts[2].Length);

        var (_, body) = await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), forged);
        var challenge = await _client.IssueAsync(TestSites.Main);
        var idParts = challenge.ChallengeId.Split('.');
        using var verify = await _client.PostVerifyAsync(idParts[0] + "." + idParts[1] + "." + new string('A', idParts[2].Length), 0.5, Tracks.Human(0.5));

        Assert.Equal(["invalid-input-response"], Codes(body));
        Assert.Equal(HttpStatusCode.BadRequest, verify.StatusCode);
        Assert.Equal("invalid-challenge-id", (await verify.Content.ReadFromJsonAsync<ApiError>())!.Error);
        // The real token is untouched by the forgery.
        Assert.True((await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), token)).Body.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task An_idempotency_key_used_with_another_token_is_refused()
    {
        var secret = TestSites.SecretOf(TestSites.Main);
        var first = await _client.SolveAsync(TestSites.Main);
        var second = await _client.SolveAsync(TestSites.Main, seed: 2);

        var answer = await _client.SiteVerifyAsync(secret, first, "order-99");
        var reused = await _client.SiteVerifyAsync(secret, second, "order-99");

        Assert.True(answer.Body.GetProperty("success").GetBoolean());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.Status);
        Assert.Equal(["idempotency-key-reused"], Codes(reused.Body));
        // The second token was not consumed by the refused call.
        Assert.True((await _client.SiteVerifyAsync(secret, second)).Body.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task A_remoteip_other_than_the_client_the_token_was_issued_to_is_refused()
    {
        var secret = TestSites.SecretOf(TestSites.Main);
        var token = await _client.SolveAsync(TestSites.Main);

        var other = await _client.SiteVerifyAsync(secret, token, remoteIp: "198.51.100.9");
        var malformed = await _client.SiteVerifyAsync(secret, token, remoteIp: "not-an-ip");
        var same = await _client.SiteVerifyAsync(secret, token, remoteIp: "127.0.0.1");

        Assert.Equal((HttpStatusCode.OK, "remoteip-mismatch"), (other.Status, Codes(other.Body).Single()));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.True(same.Body.GetProperty("success").GetBoolean(), same.Body.ToString());
    }

    [Fact]
    public async Task Cdata_given_with_the_challenge_is_echoed_by_siteverify()
    {
        var token = await _client.SolveAsync(TestSites.Main, cdata: "form-session_7f3a");

        var (_, body) = await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), token);
        using var tooLong = await _client.Http.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.Main, cdata = new string('a', 256) });
        using var badCharacters = await _client.Http.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.Main, cdata = "a b" });

        Assert.Equal("form-session_7f3a", body.GetProperty("cdata").GetString());
        Assert.Equal("invalid-cdata", (await tooLong.Content.ReadFromJsonAsync<ApiError>())!.Error);
        Assert.Equal("invalid-cdata", (await badCharacters.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }

    [Fact]
    public async Task With_client_binding_on_only_the_client_a_challenge_was_issued_to_may_answer_it()
    {
        await using var host = await CaptchaHost.StartAsync(captcha.RedisEndpoint, "--Tokens:BindClientIp", "true", "--ClientIp:KnownProxies:0", "127.0.0.1");
        var client = new CaptchaClient(host.Http, captcha.ReadKeyAsync);
        using var issue = await SendAsync(host.Http, "/api/v1/challenge", new { siteKey = TestSites.Main }, "198.51.100.20");
        var challenge = (await issue.Content.ReadFromJsonAsync<ChallengeResponse>())!;
        var x = await client.SecretXAsync(challenge.ChallengeId);
        await Task.Delay(400);

        using var fromElsewhere = await SendAsync(host.Http, "/api/v1/verify", new { challengeId = challenge.ChallengeId, offset = x, track = Tracks.Human(x) }, "198.51.100.21");
        using var fromTheClient = await SendAsync(host.Http, "/api/v1/verify", new { challengeId = challenge.ChallengeId, offset = x, track = Tracks.Human(x) }, "198.51.100.20");

        Assert.Equal(HttpStatusCode.Forbidden, fromElsewhere.StatusCode);
        Assert.Equal("client-mismatch", (await fromElsewhere.Content.ReadFromJsonAsync<ApiError>())!.Error);
        Assert.True((await fromTheClient.Content.ReadFromJsonAsync<VerifyResponse>())!.Success);
    }

    private static Task<HttpResponseMessage> SendAsync<T>(HttpClient http, string path, T body, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return http.SendAsync(request);
    }
}
