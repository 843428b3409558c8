using RedisRing.Captcha.Settings;

namespace RedisRing.Captcha.Tests.Settings;

public sealed class SiteSettingsValidatorTests
{
    private static SiteSettingsDocument Valid() => new()
    {
        SiteKey = "shop-1",
        SecretSha256 = Convert.ToHexStringLower(SecretHash.Compute("s3cret")),
    };

    [Fact]
    public void A_document_with_only_key_and_secret_hash_gets_the_documented_defaults()
    {
        Assert.True(SiteSettingsValidator.TryCreate(Valid(), out var settings, out _));

        Assert.Equal(0.02, settings!.Tolerance);
        Assert.Equal(120, settings.TokenTtlSeconds);
        Assert.Equal(120, settings.ChallengeTtlSeconds);
        Assert.False(settings.FailOpen);
        Assert.Empty(settings.AllowedHostnames);
        Assert.Equal(ImageFormat.Jpeg, settings.ImageFormat);
    }

    [Fact]
    public void Hostnames_are_stored_lower_case()
    {
        var document = Valid();
        document.AllowedHostnames = ["Shop.Example "];

        Assert.True(SiteSettingsValidator.TryCreate(document, out var settings, out _));
        Assert.Equal(["shop.example"], settings!.AllowedHostnames);
    }

    private static readonly (string Field, Action<SiteSettingsDocument> Spoil)[] Spoilers =
    [
        ("siteKey", d => d.SiteKey = null),
        ("siteKey", d => d.SiteKey = "has.dot"),
        ("siteKey", d => d.SiteKey = new string('k', 65)),
        ("secretSha256", d => d.SecretSha256 = "plain-secret"),
        ("secretSha256", d => d.SecretSha256 = new string('z', 64)),
        ("tolerance", d => d.Tolerance = 0.5),
        ("tolerance", d => d.Tolerance = double.NaN),
        ("decoys", d => d.Decoys = 9),
        ("imageWidth", d => d.ImageWidth = 50),
        ("theme", d => d.Theme = "neon"),
        ("imageFormat", d => d.ImageFormat = "gif"),
        ("tokenTtlSeconds", d => d.TokenTtlSeconds = 0),
        ("rate limits", d => d.ChallengesPerIpPerMinute = 0),
        ("allowedHostnames", d => d.AllowedHostnames = [" "]),
    ];

    public static TheoryData<int> SpoilerIndexes => [.. Enumerable.Range(0, Spoilers.Length)];

    [Theory]
    [MemberData(nameof(SpoilerIndexes))]
    public void An_invalid_document_is_refused_with_a_reason_naming_the_field(int spoiler)
    {
        var document = Valid();
        Spoilers[spoiler].Spoil(document);

        Assert.False(SiteSettingsValidator.TryCreate(document, out _, out var error));
        Assert.Contains(Spoilers[spoiler].Field, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_secret_hash_matches_only_the_right_secret()
    {
        var hash = SecretHash.Compute("s3cret");

        Assert.True(SecretHash.Matches("s3cret", hash));
        Assert.False(SecretHash.Matches("s3creT", hash));
        Assert.False(SecretHash.Matches(new string('x', 5000), hash));
    }
}
