using RedisRing.Captcha.Settings;
using RedisRing.Captcha.Verification;

namespace RedisRing.Captcha.Tests.Verification;

public sealed class ProofOfWorkTests
{
    private const string ChallengeId = "test-site.MQpjCmsxCmJ6MXRq.Qx3vAbCdEf";
    private const string OtherChallengeId = "test-site.MQpjCmsxCmJ6MXRr.Qx3vAbCdEf";

    [Fact]
    public void The_salt_is_32_hex_digits_derived_from_the_challenge_id()
    {
        var salt = ProofOfWork.SaltOf(ChallengeId);

        Assert.Matches("^[0-9a-f]{32}$", salt);
        Assert.Equal(salt, ProofOfWork.SaltOf(ChallengeId));
        Assert.NotEqual(salt, ProofOfWork.SaltOf(OtherChallengeId));
    }

    [Fact]
    public void A_nonce_found_by_solving_is_accepted()
    {
        var salt = ProofOfWork.SaltOf(ChallengeId);
        var nonce = ProofOfWork.Solve(salt, 12);

        Assert.True(ProofOfWork.IsSolution(salt, nonce, 12));
        // The hash it is checked with, computed the obvious way, really starts with 12 zero bits.
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(salt + nonce));
        Assert.Equal(0, hash[0]);
        Assert.Equal(0, hash[1] >> 4);
    }

    [Fact]
    public void A_wrong_nonce_is_refused()
    {
        var salt = ProofOfWork.SaltOf(ChallengeId);
        var nonce = ProofOfWork.Solve(salt, 12);

        // Every nonce below the smallest solution is, by definition, not one.
        Assert.All(Enumerable.Range(0, (int)Math.Min(nonce, 200)), n => Assert.False(ProofOfWork.IsSolution(salt, n, 12)));
        Assert.False(ProofOfWork.IsSolution(salt, -1, 0));
        Assert.False(ProofOfWork.IsSolution(salt, ProofOfWork.MaxNonce + 1, 0));
    }

    [Fact]
    public void A_solution_of_another_challenge_is_refused()
    {
        // Search for a nonce that solves the other challenge's puzzle but not this one's (most do).
        var other = ProofOfWork.SaltOf(OtherChallengeId);
        var salt = ProofOfWork.SaltOf(ChallengeId);
        var nonce = ProofOfWork.Solve(other, 14);
        if (ProofOfWork.IsSolution(salt, nonce, 14))
        {
            Assert.Fail("one nonce solved both puzzles: a 1 in 16384 chance; the test's ids need changing");
        }

        Assert.True(ProofOfWork.IsSolution(other, nonce, 14));
    }

    [Fact]
    public void A_solution_of_fewer_bits_than_asked_is_refused()
    {
        var salt = ProofOfWork.SaltOf(ChallengeId);
        for (long start = 0; ; start++)
        {
            var nonce = start;
            while (!ProofOfWork.IsSolution(salt, nonce, 8))
            {
                nonce++;
            }

            if (!ProofOfWork.IsSolution(salt, nonce, 16))
            {
                Assert.False(ProofOfWork.IsSolution(salt, nonce, 16));
                return;
            }

            start = nonce;
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x80 }, 0)]
    [InlineData(new byte[] { 0x01 }, 7)]
    [InlineData(new byte[] { 0x00, 0x00, 0x0f }, 20)]
    [InlineData(new byte[] { 0x00, 0x00 }, 16)]
    public void Leading_zero_bits_are_counted_across_bytes(byte[] hash, int expected)
    {
        Assert.Equal(expected, ProofOfWork.LeadingZeroBits(hash));
    }

    [Fact]
    public void The_difficulties_come_from_the_site_settings_with_defaults_and_limits()
    {
        var secret = new string('a', 64);
        Assert.True(SiteSettingsValidator.TryCreate(new SiteSettingsDocument { SiteKey = "s", SecretSha256 = secret }, out var defaults, out _));
        Assert.Equal(16, defaults!.KeyboardPowBits);
        Assert.Equal(19, defaults.AccessiblePowBits);
        Assert.True(defaults.AllowAccessible);
        Assert.Equal(20, defaults.RateLimits.AccessibleAnswersPerIpPerHour);

        Assert.True(SiteSettingsValidator.TryCreate(
            new SiteSettingsDocument { SiteKey = "s", SecretSha256 = secret, KeyboardPowBits = 0, AccessiblePowBits = 22, AllowAccessible = false, AccessibleAnswersPerIpPerHour = 5 },
            out var chosen,
            out _));
        Assert.Equal(0, chosen!.KeyboardPowBits);
        Assert.Equal(22, chosen.AccessiblePowBits);
        Assert.False(chosen.AllowAccessible);
        Assert.Equal(5, chosen.RateLimits.AccessibleAnswersPerIpPerHour);

        Assert.False(SiteSettingsValidator.TryCreate(new SiteSettingsDocument { SiteKey = "s", SecretSha256 = secret, KeyboardPowBits = 31 }, out _, out _));
        Assert.False(SiteSettingsValidator.TryCreate(new SiteSettingsDocument { SiteKey = "s", SecretSha256 = secret, AccessiblePowBits = 4 }, out _, out _));
        Assert.False(SiteSettingsValidator.TryCreate(new SiteSettingsDocument { SiteKey = "s", SecretSha256 = secret, AccessibleAnswersPerIpPerHour = 0 }, out _, out _));
    }
}
