using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;

namespace RedisRing.Captcha.Tests.Api;

public sealed class AnswerCheckTests(RedisBackedCaptcha captcha) : IClassFixture<RedisBackedCaptcha>
{
    private readonly CaptchaClient _client = captcha.Client;

    private async Task<VerifyResponse> AnswerAsync(Func<double, double> offsetFromSecret, Func<double, List<TrackPointDto>> track, int waitMs = 400, string? input = null, string site = TestSites.Main)
    {
        var challenge = await _client.IssueAsync(site);
        var x = await _client.SecretXAsync(challenge.ChallengeId);
        await Task.Delay(waitMs);
        var offset = offsetFromSecret(x);
        return await _client.VerifyAsync(challenge.ChallengeId, offset, track(offset), input);
    }

    [Fact]
    public async Task An_answer_within_the_tolerance_passes()
    {
        var result = await AnswerAsync(x => x + 0.015, o => Tracks.Human(o));

        Assert.True(result.Success);
        Assert.Equal(120, result.ExpiresIn);
    }

    [Fact]
    public async Task An_answer_beyond_the_tolerance_is_refused_with_the_one_failure_code()
    {
        var result = await AnswerAsync(x => x + 0.05, o => Tracks.Human(o));

        Assert.False(result.Success);
        Assert.Null(result.Token);
        Assert.Equal("answer-rejected", result.Error);
    }

    [Fact]
    public async Task A_wrong_position_and_a_rejected_track_get_the_same_response_body()
    {
        // No position oracle: the body must not tell which of the two was wrong.
        async Task<string> BodyAsync(Func<double, double> offsetFromSecret, Func<double, List<TrackPointDto>> track)
        {
            var challenge = await _client.IssueAsync(TestSites.Main);
            var x = await _client.SecretXAsync(challenge.ChallengeId);
            await Task.Delay(400);
            var offset = offsetFromSecret(x);
            using var response = await _client.PostVerifyAsync(challenge.ChallengeId, offset, track(offset));
            return await response.Content.ReadAsStringAsync();
        }

        var wrongPosition = await BodyAsync(x => x > 0.5 ? x - 0.2 : x + 0.2, o => Tracks.Human(o));
        var rejectedTrack = await BodyAsync(x => x, o => Tracks.ConstantSpeed(o));

        Assert.Equal(wrongPosition, rejectedTrack);
        Assert.Contains("\"answer-rejected\"", wrongPosition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_constant_speed_track_is_refused()
    {
        Assert.Equal("answer-rejected", (await AnswerAsync(x => x, o => Tracks.ConstantSpeed(o))).Error);
    }

    [Fact]
    public async Task A_perfectly_flat_track_is_refused()
    {
        Assert.Equal("answer-rejected", (await AnswerAsync(x => x, o => Tracks.Flat(o))).Error);
    }

    [Fact]
    public async Task A_teleporting_track_is_refused()
    {
        Assert.Equal("answer-rejected", (await AnswerAsync(x => x, o => Tracks.Teleport(o))).Error);
    }

    [Fact]
    public async Task A_track_that_never_slows_down_is_refused()
    {
        Assert.Equal("answer-rejected", (await AnswerAsync(x => x, o => Tracks.Accelerating(o))).Error);
    }

    [Fact]
    public async Task An_answer_faster_than_the_minimum_solve_time_is_refused()
    {
        Assert.Equal("answer-rejected", (await AnswerAsync(x => x, o => Tracks.Human(o), waitMs: 0, site: TestSites.SlowSolve)).Error);
    }

    [Fact]
    public async Task A_track_of_two_points_is_refused()
    {
        Assert.Equal("answer-rejected", (await AnswerAsync(x => x, o => [new(0.05, 0.5, 0), new(0.05 + o, 0.51, 500)])).Error);
    }

    [Fact]
    public async Task A_human_track_with_a_made_up_offset_is_refused()
    {
        // The offset is right but the track travelled somewhere else: a bot replaying a recorded drag.
        Assert.Equal("answer-rejected", (await AnswerAsync(x => x, o => Tracks.Human(o > 0.5 ? o - 0.2 : o + 0.2))).Error);
    }
}
