using System.Net;
using System.Net.Http.Json;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;

namespace RedisRing.Captcha.Tests.Api;

/// <summary>
/// Behind a reverse proxy: X-Forwarded-For is believed only from a configured proxy, and the
/// client it names is grouped like any other (IPv6 per /64).
/// </summary>
public sealed class ForwardedClientTests(RedisBackedCaptcha captcha) : IClassFixture<RedisBackedCaptcha>
{
    [Fact]
    public async Task X_forwarded_for_from_a_peer_that_is_not_a_known_proxy_is_ignored()
    {
        await using var host = await CaptchaHost.StartAsync(captcha.RedisEndpoint, "--ClientIp:KnownProxies:0", "10.9.9.9");
        var client = new CaptchaClient(host.Http, captcha.ReadKeyAsync);

        var challengeId = await IssueFromAsync(host.Http, TestSites.Main, "198.51.100.7");

        Assert.Equal("127.0.0.1", (await client.RecordAsync(challengeId)).ClientIp);
    }

    [Fact]
    public async Task X_forwarded_for_from_a_known_proxy_names_the_client()
    {
        await using var host = await CaptchaHost.StartAsync(captcha.RedisEndpoint, "--ClientIp:KnownProxies:0", "127.0.0.1");
        var client = new CaptchaClient(host.Http, captcha.ReadKeyAsync);

        var challengeId = await IssueFromAsync(host.Http, TestSites.Main, "198.51.100.7");

        Assert.Equal("198.51.100.7", (await client.RecordAsync(challengeId)).ClientIp);
    }

    [Fact]
    public async Task A_known_network_is_trusted_like_a_known_proxy()
    {
        await using var host = await CaptchaHost.StartAsync(captcha.RedisEndpoint, "--ClientIp:KnownNetworks:0", "127.0.0.0/8");
        var client = new CaptchaClient(host.Http, captcha.ReadKeyAsync);

        var challengeId = await IssueFromAsync(host.Http, TestSites.Main, "198.51.100.8");

        Assert.Equal("198.51.100.8", (await client.RecordAsync(challengeId)).ClientIp);
    }

    [Fact]
    public async Task IPv6_clients_in_one_64_share_one_limit()
    {
        await using var host = await CaptchaHost.StartAsync(captcha.RedisEndpoint, "--ClientIp:KnownProxies:0", "127.0.0.1");
        if (DateTime.UtcNow.Second >= 57)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - DateTime.UtcNow.Second));
        }

        // The limited site allows three challenges per client per minute.
        foreach (var address in new[] { "2001:db8:77:1::1", "2001:db8:77:1::2", "2001:db8:77:1:ffff::3" })
        {
            await IssueFromAsync(host.Http, TestSites.Limited, address);
        }

        using var sameNetwork = await PostChallengeAsync(host.Http, TestSites.Limited, "2001:db8:77:1:abcd::4");
        using var otherNetwork = await PostChallengeAsync(host.Http, TestSites.Limited, "2001:db8:77:2::1");

        Assert.Equal(HttpStatusCode.TooManyRequests, sameNetwork.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherNetwork.StatusCode);
    }

    private static async Task<string> IssueFromAsync(HttpClient http, string siteKey, string forwardedFor)
    {
        using var response = await PostChallengeAsync(http, siteKey, forwardedFor);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChallengeResponse>())!.ChallengeId;
    }

    private static Task<HttpResponseMessage> PostChallengeAsync(HttpClient http, string siteKey, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/challenge") { Content = JsonContent.Create(new { siteKey }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return http.SendAsync(request);
    }
}
