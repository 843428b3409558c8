using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RedisRing.Testing;

namespace RedisRing.Docker.Tests;

/// <summary>The captcha container (demo site, embedded settings: no MongoDB) keeps its state in the ring through proxy2.</summary>
[Collection(DockerStackCollection.Name)]
public sealed class CaptchaTests(DockerStackFixture fixture)
{
    private readonly ComposeStack _stack = fixture.Stack;

    [DockerFact]
    public async Task The_captcha_issues_a_challenge_and_stores_it_in_the_ring_through_its_proxy()
    {
        var challengesBefore = await StoredChallengesAsync(_stack.Proxy1Port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_stack.CaptchaPort}"), Timeout = TimeSpan.FromSeconds(30) };
        // As a browser on the demo page would: the demo site allows the hostnames 127.0.0.1 and localhost.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/challenge") { Content = JsonContent.Create(new { siteKey = "demo-site" }) };
        request.Headers.Add("Origin", $"http://127.0.0.1:{_stack.CaptchaPort}");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var challengeId = json.RootElement.GetProperty("challengeId").GetString()!;
        Assert.True(challengeId.Length > 8, challengeId);

        // The challenge's record (rrc:ch:..., captcha/State/RedisKeys.cs) is in the ring: the
        // other proxy finds one more of them.
        Assert.Equal(challengesBefore + 1, await StoredChallengesAsync(_stack.Proxy1Port));
    }

    [DockerFact]
    public async Task The_captcha_health_check_answers_through_the_published_port()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{_stack.CaptchaPort}/healthz"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The challenge records a proxy finds in the ring (redis-cli --scan follows SCAN's cursor to the end).</summary>
    private static async Task<int> StoredChallengesAsync(int proxyPort)
    {
        var (exitCode, output) = await ToolProcess.RunAsync("redis-cli", ["-p", proxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--scan", "--pattern", "rrc:ch:*"]);
        Assert.True(exitCode == 0, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().Count();
    }
}
