using Microsoft.Extensions.DependencyInjection;
using RedisRing.Captcha.Hosting;
using RedisRing.Captcha.Tokens;

namespace RedisRing.Captcha.Tests.Hosting;

/// <summary>How the service finds its signing keys at start-up (the application is built, never started).</summary>
public sealed class SigningKeyStartupTests
{
    private static readonly string[] Base = ["--Redis:Configuration", "127.0.0.1:1", "--urls", "http://127.0.0.1:0"];

    [Fact]
    public void Without_a_key_in_production_the_service_refuses_to_start_and_says_what_to_set()
    {
        var e = Assert.Throws<ConfigurationException>(() => CaptchaApplication.Build([.. Base, "--Demo:Enabled", "false"]));

        Assert.Contains("Tokens:CurrentKey", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_demo_mode_without_a_key_a_throwaway_key_is_made_up()
    {
        await using var app = CaptchaApplication.Build([.. Base, "--Demo:Enabled", "true"]);

        var keys = app.Services.GetRequiredService<SigningKeys>();
        Assert.True(keys.IsEphemeral);
        Assert.Equal(SigningKeys.EphemeralKeyId, keys.Current.Id);
    }

    [Fact]
    public async Task Configured_keys_are_used_with_their_ids()
    {
        var previous = Convert.ToBase64String(SigningKeys.NewSecret());
        await using var app = CaptchaApplication.Build([.. Base, "--Demo:Enabled", "false", .. Support.TestSites.SigningKeyArguments, "--Tokens:PreviousKeyId", "test0", "--Tokens:PreviousKey", previous]);

        var keys = app.Services.GetRequiredService<SigningKeys>();
        Assert.False(keys.IsEphemeral);
        Assert.Equal(("test1", "test0"), (keys.Current.Id, keys.Previous!.Id));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void A_malformed_or_short_key_is_refused_without_echoing_it(string key)
    {
        var e = Assert.Throws<ConfigurationException>(() => CaptchaApplication.Build([.. Base, "--Tokens:CurrentKey", key]));

        Assert.DoesNotContain(key, e.Message, StringComparison.Ordinal);
    }
}
