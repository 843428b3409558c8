using System.Text;
using RedisRing.Captcha.State;
using RedisRing.Captcha.Tests.Support;
using Xunit.Abstractions;

namespace RedisRing.Captcha.Tests.State;

/// <summary>The one-command answer (take the challenge, stage the pass) against a real redis-server.</summary>
public sealed class AnswerScriptTests(ITestOutputHelper output) : StoreOnRedisServer(output)
{
    private const string ChallengeId = "AbCdEfGhIjKlMnOpQrStUv";
    private static readonly ChallengeRecord Record = new("site-a", 0.4, 1_700_000_000_000, "example.com", "login", "10.0.0.1");

    [Fact]
    public async Task A_challenge_is_taken_once_and_its_staged_pass_redeems_once_for_its_own_site_only()
    {
        await Store.SaveChallengeAsync(ChallengeId, Record, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(90));
        var tokenId = TokenIds.ForChallenge(ChallengeId);

        var taken = await Store.TakeChallengeAsync(ChallengeId, tokenId, 1_700_000_005_000);
        var again = await Store.TakeChallengeAsync(ChallengeId, TokenIds.ForChallenge(ChallengeId), 1_700_000_006_000);
        var otherSite = await Store.TakePassAsync("site-b", tokenId);
        var pass = await Store.TakePassAsync("site-a", tokenId);
        var replay = await Store.TakePassAsync("site-a", tokenId);

        Assert.Equal(Record, taken);
        Assert.Null(again);
        Assert.Null(otherSite);
        Assert.Equal(new PassRecord("site-a", 1_700_000_005_000, "example.com", "login"), pass);
        Assert.Null(replay);
    }

    [Fact]
    public async Task The_staged_pass_lives_as_long_as_the_site_wants_its_tokens_to()
    {
        await Store.SaveChallengeAsync(ChallengeId, Record, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(90));
        var tokenId = TokenIds.ForChallenge(ChallengeId);

        await Store.TakeChallengeAsync(ChallengeId, tokenId, 1);
        var ttl = await Connection.GetDatabase().KeyTimeToLiveAsync(RedisKeys.Pass(tokenId));

        Assert.InRange(ttl!.Value.TotalSeconds, 85, 90);
    }

    [Fact]
    public async Task A_refused_answer_leaves_no_pass_behind()
    {
        await Store.SaveChallengeAsync(ChallengeId, Record, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(90));
        var tokenId = TokenIds.ForChallenge(ChallengeId);

        await Store.TakeChallengeAsync(ChallengeId, tokenId, 1);
        await Store.DeletePassAsync(tokenId);

        Assert.Null(await Store.TakePassAsync("site-a", tokenId));
    }

    [Fact]
    public async Task A_missing_challenge_stages_nothing()
    {
        var tokenId = TokenIds.ForChallenge(ChallengeId);

        Assert.Null(await Store.TakeChallengeAsync(ChallengeId, tokenId, 1));
        Assert.False(await Connection.GetDatabase().KeyExistsAsync(RedisKeys.Pass(tokenId)));
    }

    [Fact]
    public void A_token_id_shares_its_challenges_hash_tag_and_has_the_shape_siteverify_accepts()
    {
        var tokenId = TokenIds.ForChallenge(ChallengeId);

        Assert.StartsWith("rrc:ch:{AbCdEfGh}", RedisKeys.Challenge(ChallengeId), StringComparison.Ordinal);
        Assert.StartsWith("rrc:tk:{AbCdEfGh}", RedisKeys.Pass(tokenId), StringComparison.Ordinal);
        Assert.True(Captcha.Api.Ids.IsWellFormed(tokenId, Captcha.Api.Ids.TokenIdBytes));
        Assert.NotEqual(tokenId, TokenIds.ForChallenge(ChallengeId));
    }

    [Fact]
    public void Stored_values_decode_to_the_records_they_were_made_from()
    {
        var value = StoredChallenge.Encode(Record, TimeSpan.FromSeconds(120));
        var pass = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(value) + "\n42");

        Assert.StartsWith("120000\nsite-a\n{", Encoding.UTF8.GetString(value), StringComparison.Ordinal);
        Assert.Equal(Record, StoredChallenge.DecodeChallenge(value));
        Assert.Equal(new PassRecord("site-a", 42, "example.com", "login"), StoredChallenge.DecodePass(pass));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => StoredChallenge.DecodePass(value));
    }
}
