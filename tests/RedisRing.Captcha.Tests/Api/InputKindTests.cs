using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tests.Support;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Tests.Api;

/// <summary>
/// Keyboard and accessible answers against the real service: each input kind faces its own
/// checks and proof of work, every refusal is the one failure code, and siteverify reports the
/// input kind and its score.
/// </summary>
public sealed class InputKindTests(RedisBackedCaptcha captcha) : IClassFixture<RedisBackedCaptcha>
{
    private readonly CaptchaClient _client = captcha.Client;

    private static int WaitMs => int.Parse(TestSites.MinSolveMs, System.Globalization.CultureInfo.InvariantCulture) + 100;

    [Fact]
    public async Task The_challenge_carries_a_proof_of_work_bound_to_its_id_at_the_sites_difficulties()
    {
        using var response = await _client.Http.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.Main });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var pow = body.GetProperty("pow");

        Assert.Equal("SHA-256", pow.GetProperty("algorithm").GetString());
        Assert.Equal(ProofOfWork.SaltOf(body.GetProperty("challengeId").GetString()!), pow.GetProperty("salt").GetString());
        Assert.Equal(TestSites.KeyboardPowBits, pow.GetProperty("keyboardBits").GetInt32());
        Assert.Equal(TestSites.AccessiblePowBits, pow.GetProperty("accessibleBits").GetInt32());
    }

    [Fact]
    public async Task A_keyboard_answer_without_proof_of_work_is_refused_with_the_one_failure_code()
    {
        var challenge = await _client.IssueAsync(TestSites.Main);
        var x = Math.Round(await _client.SecretXAsync(challenge.ChallengeId), 2);
        await Task.Delay(WaitMs);

        var result = await _client.VerifyAsync(challenge.ChallengeId, x, Tracks.KeyPresses(x), "keyboard");

        Assert.False(result.Success);
        Assert.Equal("answer-rejected", result.Error);
    }

    [Fact]
    public async Task A_keyboard_answer_with_the_proof_of_work_of_another_challenge_is_refused()
    {
        var other = await _client.IssueAsync(TestSites.Main);
        var challenge = await _client.IssueAsync(TestSites.Main);
        var x = Math.Round(await _client.SecretXAsync(challenge.ChallengeId), 2);
        var nonce = SolvedOnlyFor(other.ChallengeId, challenge.ChallengeId, TestSites.KeyboardPowBits);
        await Task.Delay(WaitMs);

        var result = await _client.VerifyAsync(challenge.ChallengeId, x, Tracks.KeyPresses(x), "keyboard", nonce);

        Assert.Equal("answer-rejected", result.Error);
    }

    [Fact]
    public async Task A_keyboard_answer_at_a_bots_fixed_rate_is_refused_even_with_its_proof_of_work()
    {
        var challenge = await _client.IssueAsync(TestSites.Main);
        var x = Math.Round(await _client.SecretXAsync(challenge.ChallengeId), 2);
        await Task.Delay(WaitMs);

        var result = await _client.VerifyAsync(challenge.ChallengeId, x, Tracks.RegularKeyPresses(x, 1), "keyboard", Solve(challenge.ChallengeId, TestSites.KeyboardPowBits));

        Assert.Equal("answer-rejected", result.Error);
    }

    [Fact]
    public async Task A_keyboard_answer_with_proof_of_work_and_human_key_timing_passes_and_siteverify_reports_keyboard()
    {
        var challenge = await _client.IssueAsync(TestSites.Main);
        var x = Math.Round(await _client.SecretXAsync(challenge.ChallengeId), 2);
        await Task.Delay(WaitMs);

        var result = await _client.VerifyAsync(challenge.ChallengeId, x, Tracks.KeyPresses(x), "keyboard", Solve(challenge.ChallengeId, TestSites.KeyboardPowBits));
        Assert.True(result.Success, result.Error);

        var (_, body) = await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), result.Token);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("keyboard", body.GetProperty("input").GetString());
        Assert.Equal(AnswerScore.Keyboard, body.GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Siteverify_reports_a_pointer_drag_with_the_highest_score()
    {
        var token = await _client.SolveAsync(TestSites.Main);

        var (_, body) = await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), token);

        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("pointer", body.GetProperty("input").GetString());
        Assert.Equal(0.9, body.GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task The_accessible_path_passes_with_a_valid_proof_of_work_and_siteverify_reports_the_lowest_score()
    {
        var challenge = await _client.IssueAsync(TestSites.Main);
        var nonce = Solve(challenge.ChallengeId, TestSites.AccessiblePowBits);
        await Task.Delay(WaitMs);

        using var response = await _client.PostAccessibleAsync(challenge.ChallengeId, nonce);
        var result = (await response.Content.ReadFromJsonAsync<VerifyResponse>())!;
        Assert.True(result.Success, result.Error);

        var (_, body) = await _client.SiteVerifyAsync(TestSites.SecretOf(TestSites.Main), result.Token);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("accessible", body.GetProperty("input").GetString());
        Assert.Equal(0.3, body.GetProperty("score").GetDouble());
        Assert.True(AnswerScore.Accessible < AnswerScore.Keyboard && AnswerScore.Keyboard < AnswerScore.Pointer);
    }

    [Fact]
    public async Task The_accessible_path_fails_without_a_proof_of_work_or_with_a_wrong_one()
    {
        foreach (var wrong in new long?[] { null, WrongNonce })
        {
            var challenge = await _client.IssueAsync(TestSites.Main);
            await Task.Delay(WaitMs);
            long? nonce = wrong == WrongNonce ? FirstNonSolution(challenge.ChallengeId, TestSites.AccessiblePowBits) : null;

            using var response = await _client.PostAccessibleAsync(challenge.ChallengeId, nonce);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("answer-rejected", (await response.Content.ReadFromJsonAsync<VerifyResponse>())!.Error);
        }
    }

    [Fact]
    public async Task A_keyboard_proof_of_work_is_not_enough_for_the_accessible_path()
    {
        // A nonce that meets the keyboard difficulty but not the accessible one.
        var challenge = await _client.IssueAsync(TestSites.Main);
        var salt = ProofOfWork.SaltOf(challenge.ChallengeId);
        long nonce = 0;
        while (!ProofOfWork.IsSolution(salt, nonce, TestSites.KeyboardPowBits) || ProofOfWork.IsSolution(salt, nonce, TestSites.AccessiblePowBits))
        {
            nonce++;
        }

        await Task.Delay(WaitMs);
        using var response = await _client.PostAccessibleAsync(challenge.ChallengeId, nonce);

        Assert.Equal("answer-rejected", (await response.Content.ReadFromJsonAsync<VerifyResponse>())!.Error);
    }

    [Fact]
    public async Task The_accessible_path_has_its_own_per_client_limit_and_a_limited_client_keeps_its_challenge()
    {
        for (var i = 0; i < 2; i++)
        {
            var solved = await _client.IssueAsync(TestSites.AccessibleLimited);
            await Task.Delay(WaitMs);
            using var ok = await _client.PostAccessibleAsync(solved.ChallengeId, Solve(solved.ChallengeId, TestSites.AccessiblePowBits));
            Assert.True((await ok.Content.ReadFromJsonAsync<VerifyResponse>())!.Success);
        }

        var challenge = await _client.IssueAsync(TestSites.AccessibleLimited);
        await Task.Delay(WaitMs);
        using var limited = await _client.PostAccessibleAsync(challenge.ChallengeId, Solve(challenge.ChallengeId, TestSites.AccessiblePowBits));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("accessible-rate-limit", (await limited.Content.ReadFromJsonAsync<ApiError>())!.Error);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);

        // The bucket is the accessible path's alone: the puzzle still works, on the same challenge.
        var x = await _client.SecretXAsync(challenge.ChallengeId);
        Assert.True((await _client.VerifyAsync(challenge.ChallengeId, x, Tracks.Human(x))).Success);
    }

    [Fact]
    public async Task A_site_without_the_accessible_path_offers_none_and_refuses_such_answers()
    {
        using var issue = await _client.Http.PostAsJsonAsync("/api/v1/challenge", new { siteKey = TestSites.NoAccessible });
        var body = await issue.Content.ReadFromJsonAsync<JsonElement>();
        var challengeId = body.GetProperty("challengeId").GetString()!;
        Assert.False(body.GetProperty("pow").TryGetProperty("accessibleBits", out _));
        await Task.Delay(WaitMs);

        using var response = await _client.PostAccessibleAsync(challengeId, Solve(challengeId, TestSites.AccessiblePowBits));

        Assert.Equal("answer-rejected", (await response.Content.ReadFromJsonAsync<VerifyResponse>())!.Error);
    }

    private const long WrongNonce = -2;

    private static long Solve(string challengeId, int bits) => ProofOfWork.Solve(ProofOfWork.SaltOf(challengeId), bits);

    private static long FirstNonSolution(string challengeId, int bits)
    {
        var salt = ProofOfWork.SaltOf(challengeId);
        long nonce = 0;
        while (ProofOfWork.IsSolution(salt, nonce, bits))
        {
            nonce++;
        }

        return nonce;
    }

    /// <summary>A nonce that solves <paramref name="solvedId"/>'s puzzle and not <paramref name="otherId"/>'s.</summary>
    private static long SolvedOnlyFor(string solvedId, string otherId, int bits)
    {
        var salt = ProofOfWork.SaltOf(solvedId);
        var other = ProofOfWork.SaltOf(otherId);
        long nonce = 0;
        while (!ProofOfWork.IsSolution(salt, nonce, bits) || ProofOfWork.IsSolution(other, nonce, bits))
        {
            nonce++;
        }

        return nonce;
    }
}
