using System.Buffers.Text;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Tokens;

namespace RedisRing.Captcha.Tests.Tokens;

public sealed class TokenSignerTests
{
    private static readonly SigningKey OldKey = new("old", SigningKeys.NewSecret());
    private static readonly SigningKey NewKey = new("new", SigningKeys.NewSecret());

    private static TokenSigner SignerWith(SigningKey current, SigningKey? previous = null) => new(new SigningKeys(current, previous), TimeProvider.System);

    private static TokenClaims Pass(long expiresInSeconds = 60, string siteKey = "site-a") => new(
        TokenKind.Pass,
        siteKey,
        Ids.New(Ids.TokenIdBytes),
        DateTimeOffset.UtcNow.ToUnixTimeSeconds() + expiresInSeconds,
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        "shop.example",
        "signup",
        "2001:db8:1:2::/64",
        "session-42");

    [Fact]
    public void A_signed_token_verifies_and_says_what_was_signed()
    {
        var claims = Pass();
        var signer = SignerWith(NewKey);

        var check = signer.Verify(signer.Sign(claims), TokenKind.Pass);

        Assert.Equal(TokenStatus.Valid, check.Status);
        Assert.Equal(claims, check.Claims);
    }

    [Fact]
    public void A_token_is_the_documented_text_with_an_hmac_of_the_label_the_site_key_and_the_payload()
    {
        // Written out by hand, the way the first signing code built it (strings joined, one-shot
        // HMAC): tokens issued before an upgrade must keep verifying after it, and the other way round.
        var claims = Pass() with { Input = RedisRing.Captcha.Verification.InputKind.Keyboard };
        var payload = System.Text.Encoding.UTF8.GetBytes(string.Join(
            '\n', "2", "t", NewKey.Id, claims.Id, claims.ExpiresAt, claims.IssuedAtMs, claims.Hostname, claims.Action, claims.Client, claims.Cdata, "k"));
        byte[] signed = [.. System.Text.Encoding.ASCII.GetBytes("redisring-captcha\n" + claims.SiteKey + "\n"), .. payload];
        var mac = System.Security.Cryptography.HMACSHA256.HashData(NewKey.Secret, signed);
        var expected = claims.SiteKey + "." + Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);

        Assert.Equal(expected, SignerWith(NewKey).Sign(claims));
        Assert.Equal(TokenStatus.Valid, SignerWith(NewKey).Verify(expected, TokenKind.Pass).Status);
    }

    [Fact]
    public void A_token_with_an_altered_field_or_mac_is_refused()
    {
        var signer = SignerWith(NewKey);
        var token = signer.Sign(Pass(siteKey: "site-a"));
        var parts = token.Split('.');
        var otherSite = "site-b." + parts[1] + "." + parts[2];
        var mac = Base64Url.DecodeFromChars(parts[2]);
        mac[0] ^= 1;
        var otherMac = parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(mac);
        var longerExpiry = SignerWith(new SigningKey(NewKey.Id, SigningKeys.NewSecret())).Sign(Pass(expiresInSeconds: 3600));

        Assert.Equal(TokenStatus.BadSignature, signer.Verify(otherSite, TokenKind.Pass).Status);
        Assert.Equal(TokenStatus.BadSignature, signer.Verify(otherMac, TokenKind.Pass).Status);
        // Same key id, another secret: what a forger without the key can make.
        Assert.Equal(TokenStatus.BadSignature, signer.Verify(longerExpiry, TokenKind.Pass).Status);
    }

    [Fact]
    public void An_expired_token_is_refused()
    {
        var signer = SignerWith(NewKey);

        Assert.Equal(TokenStatus.Expired, signer.Verify(signer.Sign(Pass(expiresInSeconds: -1)), TokenKind.Pass).Status);
    }

    [Fact]
    public void After_a_rotation_a_token_of_the_previous_key_is_accepted_and_one_of_an_unknown_key_is_not()
    {
        var beforeRotation = SignerWith(OldKey).Sign(Pass());
        var afterRotation = SignerWith(NewKey, previous: OldKey);
        var retired = SignerWith(NewKey);

        Assert.Equal(TokenStatus.Valid, afterRotation.Verify(beforeRotation, TokenKind.Pass).Status);
        Assert.Equal(TokenStatus.UnknownKey, retired.Verify(beforeRotation, TokenKind.Pass).Status);
        // The previous key only verifies: new tokens carry the current key's id.
        Assert.Equal(TokenStatus.UnknownKey, SignerWith(OldKey).Verify(afterRotation.Sign(Pass()), TokenKind.Pass).Status);
    }

    [Fact]
    public void A_challenge_id_is_not_a_pass_token()
    {
        var signer = SignerWith(NewKey);
        var challenge = signer.Sign(Pass() with { Kind = TokenKind.Challenge, Id = Ids.New(Ids.ChallengeIdBytes) });

        Assert.Equal(TokenStatus.Valid, signer.Verify(challenge, TokenKind.Challenge).Status);
        Assert.Equal(TokenStatus.Malformed, signer.Verify(challenge, TokenKind.Pass).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("site-a.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("site-a.%%%.AAAA")]
    [InlineData("a.b.c.d")]
    public void Text_that_is_not_a_token_is_malformed(string text)
    {
        Assert.Equal(TokenStatus.Malformed, SignerWith(NewKey).Verify(text, TokenKind.Pass).Status);
    }
}
