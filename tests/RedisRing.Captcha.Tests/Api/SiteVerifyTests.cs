using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RedisRing.Captcha.Tests.Support;

namespace RedisRing.Captcha.Tests.Api;

public sealed class SiteVerifyTests(RedisBackedCaptcha captcha) : IClassFixture<RedisBackedCaptcha>
{
    private readonly CaptchaClient _client = captcha.Client;

    private static string[] Codes(JsonElement body) => body.GetProperty("error-codes").EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task A_wrong_secret_is_refused_and_leaves_the_token_redeemable()
    {
        var token = await _client.SolveAsync(TestSites.Main);

        var (status, body) = await _client.SiteVerifyAsync("not-the-secret", token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["invalid-input-secret"], Codes(body));

        Assert.True((await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), token)).Body.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Another_sites_secret_cannot_redeem_a_token()
    {
        var token = await _client.SolveAsync(TestSites.Main);

        var (_, body) = await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Strict), token);

        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(["invalid-input-secret"], Codes(body));
    }

    [Fact]
    public async Task Missing_secret_and_response_are_a_400_naming_both()
    {
        var (status, body) = await _client.SiteVerifyAsync(null, null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["missing-input-secret", "missing-input-response"], Codes(body));
    }

    [Fact]
    public async Task A_made_up_token_is_an_invalid_input_response()
    {
        // The shape of an unsigned token of the earlier format: no longer one of ours.
        var (status, body) = await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), "test-site.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["invalid-input-response"], Codes(body));

        (status, body) = await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), "garbage");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["invalid-input-response"], Codes(body));
    }

    [Fact]
    public async Task A_retried_call_with_the_same_idempotency_key_gets_the_same_success()
    {
        var token = await _client.SolveAsync(TestSites.Main);
        var secret = TestSites.SecretOf(TestSites.Main);

        var first = await _client.SiteVerifyAsync(secret, token, "order-42");
        var retry = await _client.SiteVerifyAsync(secret, token, "order-42");
        var withoutKey = await _client.SiteVerifyAsync(secret, token);

        Assert.True(first.Body.GetProperty("success").GetBoolean());
        Assert.Equal(first.Body.ToString(), retry.Body.ToString());
        Assert.Equal(["timeout-or-duplicate"], Codes(withoutKey.Body));
    }

    [Fact]
    public async Task Concurrent_calls_with_one_idempotency_key_all_get_the_one_success()
    {
        var token = await _client.SolveAsync(TestSites.Main);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), token, "retry-key")));

        Assert.All(answers, a => Assert.True(a.Body.GetProperty("success").GetBoolean()));
    }

    [Fact]
    public async Task Siteverify_also_accepts_a_json_body()
    {
        var token = await _client.SolveAsync(TestSites.Main);

        using var response = await _client.Http.PostAsJsonAsync("/siteverify", new { secret = TestSites.SecretOf(TestSites.Main), response = token });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(body.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task A_siteverify_body_that_is_neither_form_nor_json_is_a_json_415()
    {
        using var content = new StringContent("secret=x&response=y", System.Text.Encoding.UTF8, "text/plain");
        using var response = await _client.Http.PostAsync(new Uri("/siteverify", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported-media-type", (await response.Content.ReadFromJsonAsync<RedisRing.Captcha.Api.ApiError>())!.Error);
    }
}
