using System.Net;
using System.Net.Http.Json;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;

namespace RedisRing.Captcha.Tests.Api;

public sealed class RateLimitTests(RedisBackedCaptcha captcha) : IClassFixture<RedisBackedCaptcha>
{
    private readonly CaptchaClient _client = captcha.Client;

    [Fact]
    public async Task A_client_over_its_per_minute_limit_gets_429_with_retry_after()
    {
        await AvoidMinuteBoundaryAsync();
        for (var i = 0; i < 3; i++)
        {
            await _client.IssueAsync(TestSites.Limited);
        }

        using var response = await _client.Http.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.Limited });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("client-rate-limit", (await response.Content.ReadFromJsonAsync<ApiError>())!.Error);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task The_limit_is_counted_in_redis_so_a_second_instance_shares_it()
    {
        await AvoidMinuteBoundaryAsync();
        await using var second = await CaptchaHost.StartAsync(captcha.RedisEndpoint);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var http = i % 2 == 0 ? captcha.Host.Http : second.Http;
            using var response = await http.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.SharedLimit });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>The limits count per calendar minute: keep a test's requests inside one window.</summary>
    private static async Task AvoidMinuteBoundaryAsync()
    {
        if (DateTime.UtcNow.Second >= 57)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - DateTime.UtcNow.Second));
        }
    }

    [Fact]
    public async Task A_client_with_too_many_failed_answers_gets_no_more_challenges()
    {
        for (var i = 0; i < 2; i++)
        {
            var challenge = await _client.IssueAsync(TestSites.Strict);
            var x = await _client.SecretXAsync(challenge.ChallengeId);
            await Task.Delay(350);
            var wrong = x > 0.5 ? x - 0.2 : x + 0.2;
            Assert.False((await _client.VerifyAsync(challenge.ChallengeId, wrong, Tracks.Human(wrong))).Success);
        }

        using var response = await _client.Http.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.Strict });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("too-many-failures", (await response.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }
}
