using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;
using RedisRing.Captcha.Tokens;

namespace RedisRing.Captcha.Tests.Api;

public sealed class OperationsTests(RedisBackedCaptcha captcha) : IClassFixture<RedisBackedCaptcha>
{
    private readonly HttpClient _http = captcha.Client.Http;

    [Fact]
    public async Task Health_is_ok_when_redis_answers_and_settings_are_loaded()
    {
        using var response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var health = await response.Content.ReadFromJsonAsync<HealthResponse>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Every site of TestSites' settings file.
        Assert.Equal(("ok", "ok", TestSites.Count), (health!.Status, health.Redis, health.Sites));
        Assert.Equal(Environment.ProcessId, health.Pid);
        Assert.Equal(("in-process", true, false, true, "ok"), (health.Settings!.Cache, health.Settings.Loaded, health.Settings.Stale, health.Settings.Loader, health.Settings.Source));
    }

    [Fact]
    public async Task Health_is_503_and_requests_get_a_json_503_when_redis_is_unreachable()
    {
        await using var orphan = await CaptchaHost.StartAsync("127.0.0.1:" + RedisRing.Testing.LoopbackPorts.GetFree().ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var health = await orphan.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("unreachable", (await health.Content.ReadFromJsonAsync<HealthResponse>())!.Redis);

        using var challenge = await orphan.Http.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.Main });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, challenge.StatusCode);
        Assert.Equal("store-unavailable", (await challenge.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }

    [Fact]
    public async Task Without_redis_siteverify_fails_closed_unless_the_site_fails_open()
    {
        await using var orphan = await CaptchaHost.StartAsync("127.0.0.1:" + RedisRing.Testing.LoopbackPorts.GetFree().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = new CaptchaClient(orphan.Http, _ => Task.FromResult<string?>(null));
        // Without Redis no token can be earned; sign them as the service would have.
        var signer = orphan.Services.GetRequiredService<TokenSigner>();

        var closed = await client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), signer.Sign(PassFor(TestSites.Main)));
        var open = await client.SiteVerifyAsync(TestSites.SecretOf(TestSites.FailOpen), signer.Sign(PassFor(TestSites.FailOpen)));
        var openWrongSecret = await client.SiteVerifyAsync("wrong", signer.Sign(PassFor(TestSites.FailOpen)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, closed.Status);
        Assert.False(closed.Body.GetProperty("success").GetBoolean());
        Assert.Equal("store-unavailable", closed.Body.GetProperty("error-codes")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, open.Status);
        Assert.True(open.Body.GetProperty("success").GetBoolean());
        Assert.Equal("store-unavailable-fail-open", open.Body.GetProperty("error-codes")[0].GetString());
        Assert.Equal(("app.example", "signup", "order-7"), (open.Body.GetProperty("hostname").GetString(), open.Body.GetProperty("action").GetString(), open.Body.GetProperty("cdata").GetString()));
        Assert.False(openWrongSecret.Body.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Failing_open_accepts_only_tokens_with_a_valid_signature_that_have_not_expired()
    {
        await using var orphan = await CaptchaHost.StartAsync("127.0.0.1:" + RedisRing.Testing.LoopbackPorts.GetFree().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = new CaptchaClient(orphan.Http, _ => Task.FromResult<string?>(null));
        var secret = TestSites.SecretOf(TestSites.FailOpen);
        var forger = new TokenSigner(new SigningKeys(new SigningKey(TestSites.SigningKeyId, SigningKeys.NewSecret())), TimeProvider.System);
        var signer = orphan.Services.GetRequiredService<TokenSigner>();

        var unsigned = await client.SiteVerifyAsync(secret, TestSites.FailOpen + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var forged = await client.SiteVerifyAsync(secret, forger.Sign(PassFor(TestSites.FailOpen)));
        var expired = await client.SiteVerifyAsync(secret, signer.Sign(PassFor(TestSites.FailOpen) with { ExpiresAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1 }));
        var wrongClient = await client.SiteVerifyAsync(secret, signer.Sign(PassFor(TestSites.FailOpen)), remoteIp: "198.51.100.1");

        Assert.Equal(["invalid-input-response"], Codes(unsigned.Body));
        Assert.Equal(["invalid-input-response"], Codes(forged.Body));
        Assert.Equal(["timeout-or-duplicate"], Codes(expired.Body));
        Assert.Equal(["remoteip-mismatch"], Codes(wrongClient.Body));
        Assert.All([unsigned, forged, expired, wrongClient], a => Assert.False(a.Body.GetProperty("success").GetBoolean()));
    }

    private static string[] Codes(JsonElement body) => body.GetProperty("error-codes").EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static TokenClaims PassFor(string siteKey) => new(
        TokenKind.Pass,
        siteKey,
        Ids.New(Ids.TokenIdBytes),
        DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60,
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        "app.example",
        "signup",
        "127.0.0.1",
        "order-7");

    [Fact]
    public async Task The_openapi_document_describes_the_challenge_verify_and_siteverify_endpoints()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/challenge", out _));
        Assert.True(paths.TryGetProperty("/api/v1/verify", out _));
        Assert.True(paths.TryGetProperty("/siteverify", out _));
        Assert.True(paths.TryGetProperty("/healthz", out _));
    }

    [Fact]
    public async Task Pages_on_other_origins_may_call_the_widget_endpoints_but_not_siteverify()
    {
        async Task<HttpResponseMessage> PreflightAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            return await _http.SendAsync(request);
        }

        using var challenge = await PreflightAsync("/api/v1/challenge");
        using var verify = await PreflightAsync("/api/v1/verify");
        using var siteverify = await PreflightAsync("/siteverify");

        Assert.Equal("*", challenge.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("*", verify.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(siteverify.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("/widget/captcha.js", "text/javascript")]
    [InlineData("/widget/captcha.css", "text/css")]
    public async Task The_widget_files_are_served_with_an_etag(string path, string mediaType)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
    }
}
