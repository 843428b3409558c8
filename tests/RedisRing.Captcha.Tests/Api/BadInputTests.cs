using System.Net;
using System.Net.Http.Json;
using System.Text;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;
using RedisRing.Captcha.Tokens;

namespace RedisRing.Captcha.Tests.Api;

public sealed class BadInputTests(RedisBackedCaptcha captcha) : IClassFixture<RedisBackedCaptcha>
{
    private readonly HttpClient _http = captcha.Client.Http;

    private async Task<(HttpStatusCode Status, string Error)> PostRawAsync(string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), content);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType ?? string.Empty, StringComparison.Ordinal);
        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        Assert.False(string.IsNullOrEmpty(error!.Message));
        return (response.StatusCode, error.Error);
    }

    [Theory]
    [InlineData("{\"siteKey\":", "malformed-json")]
    [InlineData("[1,2,3]", "malformed-json")]
    [InlineData("null", "missing-body")]
    [InlineData("{}", "missing-site-key")]
    [InlineData("{\"siteKey\":\"no-such-site\"}", "unknown-site-key")]
    [InlineData("{\"siteKey\":\"test-site\",\"action\":\"<script>\"}", "invalid-action")]
    [InlineData("{\"siteKey\":42}", "malformed-json")]
    public async Task A_bad_challenge_request_is_a_json_400(string body, string error)
    {
        Assert.Equal((HttpStatusCode.BadRequest, error), await PostRawAsync("/api/v1/challenge", body));
    }

    [Theory]
    [InlineData("{\"offset\":0.5,\"track\":[{\"x\":0,\"y\":0,\"t\":0}]}", "invalid-challenge-id")]
    [InlineData("{\"challengeId\":\"../../etc/passwd\",\"offset\":0.5,\"track\":[{\"x\":0,\"y\":0,\"t\":0}]}", "invalid-challenge-id")]
    [InlineData("{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"track\":[{\"x\":0,\"y\":0,\"t\":0}]}", "invalid-offset")]
    [InlineData("{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"offset\":1.5,\"track\":[{\"x\":0,\"y\":0,\"t\":0}]}", "invalid-offset")]
    [InlineData("{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"offset\":0.5}", "invalid-track")]
    [InlineData("{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"offset\":0.5,\"track\":[]}", "invalid-track")]
    [InlineData("{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"offset\":0.5,\"track\":[null]}", "invalid-track")]
    [InlineData("{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"offset\":0.5,\"track\":[{\"x\":1e300,\"y\":0,\"t\":0}]}", "invalid-track")]
    [InlineData("{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"offset\":0.5,\"input\":\"telepathy\",\"track\":[{\"x\":0,\"y\":0,\"t\":0}]}", "invalid-input")]
    [InlineData("{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"offset\":\"half\",\"track\":[]}", "malformed-json")]
    public async Task A_bad_verify_request_is_a_json_400(string body, string error)
    {
        Assert.Equal((HttpStatusCode.BadRequest, error), await PostRawAsync("/api/v1/verify", body));
    }

    [Fact]
    public async Task An_unknown_challenge_id_is_gone_and_an_unsigned_one_is_invalid()
    {
        // Signed with the service's key, but never issued: Redis has no such challenge.
        var signer = new TokenSigner(new SigningKeys(new SigningKey(TestSites.SigningKeyId, Convert.FromBase64String(TestSites.SigningKey))), TimeProvider.System);
        var unknown = signer.Sign(new TokenClaims(
            TokenKind.Challenge, TestSites.Main, Ids.New(Ids.ChallengeIdBytes), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60, 0, "app.example", null, "127.0.0.1", null));

        Assert.Equal(
            (HttpStatusCode.Gone, "challenge-expired-or-used"),
            await PostRawAsync("/api/v1/verify", "{\"challengeId\":\"" + unknown + "\",\"offset\":0.5,\"track\":[{\"x\":0,\"y\":0,\"t\":0}]}"));
        Assert.Equal(
            (HttpStatusCode.BadRequest, "invalid-challenge-id"),
            await PostRawAsync("/api/v1/verify", "{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"offset\":0.5,\"track\":[{\"x\":0,\"y\":0,\"t\":0}]}"));
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_is_a_json_413()
    {
        var huge = "{\"siteKey\":\"" + new string('a', 200_000) + "\"}";

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "body-too-large"), await PostRawAsync("/api/v1/challenge", huge));
    }

    [Fact]
    public async Task A_track_longer_than_the_limit_is_a_json_400()
    {
        var points = string.Join(',', Enumerable.Repeat("{\"x\":0,\"y\":0,\"t\":0}", VerifyEndpoint.MaxTrackPoints + 1));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid-track"), await PostRawAsync("/api/v1/verify", "{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"offset\":0.5,\"track\":[" + points + "]}"));
    }

    [Fact]
    public async Task A_non_json_body_is_a_json_415()
    {
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "unsupported-media-type"), await PostRawAsync("/api/v1/challenge", "siteKey=test-site", "application/x-www-form-urlencoded"));
    }

    [Fact]
    public async Task A_page_on_a_hostname_the_site_does_not_allow_is_refused()
    {
        using var client = new HttpClient { BaseAddress = _http.BaseAddress };
        client.DefaultRequestHeaders.Add("Origin", "http://evil.example");

        using var response = await client.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.Main });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("hostname-not-allowed", (await response.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }

    [Fact]
    public async Task An_unknown_path_and_a_wrong_method_get_json_errors()
    {
        using var missing = await _http.GetAsync(new Uri("/no/such/thing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not-found", (await missing.Content.ReadFromJsonAsync<ApiError>())!.Error);

        using var wrongMethod = await _http.GetAsync(new Uri("/api/v1/verify", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("method-not-allowed", (await wrongMethod.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }
}
