using System.Net;
using System.Net.Http.Json;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;

namespace RedisRing.Captcha.Tests.Api;

public sealed class FlowTests(RedisBackedCaptcha captcha) : IClassFixture<RedisBackedCaptcha>
{
    private readonly CaptchaClient _client = captcha.Client;

    [Fact]
    public async Task A_solved_challenge_gives_a_token_that_siteverify_accepts_with_hostname_and_action()
    {
        var token = await _client.SolveAsync(TestSites.Main, action: "login");

        var (status, body) = await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("app.example", body.GetProperty("hostname").GetString());
        Assert.Equal("login", body.GetProperty("action").GetString());
        Assert.True(DateTimeOffset.TryParse(body.GetProperty("challenge_ts").GetString(), out var solvedAt));
        Assert.InRange(solvedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Empty(body.GetProperty("error-codes").EnumerateArray());
    }

    [Fact]
    public async Task The_challenge_response_carries_images_and_y_but_not_the_secret_x()
    {
        using var response = await _client.Http.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.Main });
        var text = await response.Content.ReadAsStringAsync();
        var challenge = System.Text.Json.JsonSerializer.Deserialize<ChallengeResponse>(text, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

        Assert.StartsWith("data:image/jpeg;base64,", challenge.Background, StringComparison.Ordinal);
        Assert.StartsWith("data:image/png;base64,", challenge.Piece, StringComparison.Ordinal);
        Assert.Equal(320, challenge.Width);
        Assert.InRange(challenge.PieceY, 0, challenge.Height - challenge.PieceSize);
        Assert.DoesNotContain("\"x\"", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_challenge_answered_once_cannot_be_answered_again()
    {
        var challenge = await _client.IssueAsync(TestSites.Main);
        var x = await _client.SecretXAsync(challenge.ChallengeId);
        await Task.Delay(400);
        Assert.True((await _client.VerifyAsync(challenge.ChallengeId, x, Tracks.Human(x))).Success);

        using var replay = await _client.PostVerifyAsync(challenge.ChallengeId, x, Tracks.Human(x, seed: 2));

        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
        Assert.Equal("challenge-expired-or-used", (await replay.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }

    [Fact]
    public async Task A_failed_answer_uses_up_the_challenge_too()
    {
        var challenge = await _client.IssueAsync(TestSites.Main);
        var x = await _client.SecretXAsync(challenge.ChallengeId);
        await Task.Delay(400);
        var wrong = x > 0.5 ? x - 0.2 : x + 0.2;
        Assert.False((await _client.VerifyAsync(challenge.ChallengeId, wrong, Tracks.Human(wrong))).Success);

        using var retry = await _client.PostVerifyAsync(challenge.ChallengeId, x, Tracks.Human(x));

        Assert.Equal(HttpStatusCode.Gone, retry.StatusCode);
    }

    [Fact]
    public async Task A_token_redeemed_once_is_refused_the_second_time()
    {
        var token = await _client.SolveAsync(TestSites.Main);
        var secret = TestSites.SecretOf(TestSites.Main);
        Assert.True((await _client.SiteVerifyAsync(secret, token)).Body.GetProperty("success").GetBoolean());

        var (status, body) = await _client.SiteVerifyAsync(secret, token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(["timeout-or-duplicate"], body.GetProperty("error-codes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Of_many_concurrent_submissions_of_one_challenge_exactly_one_wins()
    {
        var challenge = await _client.IssueAsync(TestSites.Main);
        var x = await _client.SecretXAsync(challenge.ChallengeId);
        await Task.Delay(400);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _client.PostVerifyAsync(challenge.ChallengeId, x, Tracks.Human(x, seed: i))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Gone));
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).Content.ReadFromJsonAsync<VerifyResponse>();
        Assert.True(winner!.Success);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Of_concurrent_redemptions_of_one_token_exactly_one_succeeds()
    {
        var token = await _client.SolveAsync(TestSites.Main);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), token)));

        Assert.Equal(1, answers.Count(a => a.Body.GetProperty("success").GetBoolean()));
    }

    [Fact]
    public async Task An_expired_challenge_is_refused_as_gone()
    {
        var challenge = await _client.IssueAsync(TestSites.ShortLived);
        var x = await _client.SecretXAsync(challenge.ChallengeId);
        await Task.Delay(TimeSpan.FromSeconds(3.6));

        using var response = await _client.PostVerifyAsync(challenge.ChallengeId, x, Tracks.Human(x));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused_by_siteverify()
    {
        var token = await _client.SolveAsync(TestSites.ShortLived);
        await Task.Delay(TimeSpan.FromSeconds(1.6));

        var (_, body) = await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.ShortLived), token);

        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal("timeout-or-duplicate", body.GetProperty("error-codes")[0].GetString());
    }
}
