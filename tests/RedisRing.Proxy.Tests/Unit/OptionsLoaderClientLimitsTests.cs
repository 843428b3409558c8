using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.Tests.Unit;

/// <summary>The settings that bound what one client may make the proxy hold, and for how long.</summary>
public sealed class OptionsLoaderClientLimitsTests
{
    [Fact]
    public void The_defaults_are_Redis_limits_before_AUTH_a_10_s_auth_deadline_and_512_MB_or_128_MB_for_60_s_of_replies()
    {
        var options = Load();
        Assert.Equal(10, options.MaxUnauthenticatedArrayLength);
        Assert.Equal(16384, options.MaxUnauthenticatedBulkLength);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AuthTimeout);
        Assert.Equal(512L * 1024 * 1024, options.ClientOutputHardLimit);
        Assert.Equal(128L * 1024 * 1024, options.ClientOutputSoftLimit);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ClientOutputSoftTime);
    }

    [Fact]
    public void The_output_buffer_limits_take_bytes_beyond_32_bits_and_0_for_none()
    {
        var options = Load("--client-output-hard-limit", "8589934592", "--client-output-soft-limit", "0", "--client-output-soft-s", "0");
        Assert.Equal(8L * 1024 * 1024 * 1024, options.ClientOutputHardLimit);
        Assert.Equal(0, options.ClientOutputSoftLimit);
        Assert.Equal(TimeSpan.Zero, options.ClientOutputSoftTime);
    }

    [Fact]
    public void The_limits_before_AUTH_are_the_given_ones_and_never_above_the_general_limits()
    {
        var limits = Load("--max-unauth-array-length", "20", "--max-unauth-bulk-length", "100000", "--max-bulk-length", "65536", "--max-inline-length", "4096").UnauthenticatedLimits;
        Assert.True(limits.BeforeAuth);
        Assert.Equal(20, limits.MaxArrayLength);
        Assert.Equal(65536, limits.MaxBulkLength);
        Assert.Equal(4096, limits.MaxInlineLength);
        Assert.False(Load().Limits.BeforeAuth);
        Assert.Equal(16384, Load().UnauthenticatedLimits.MaxInlineLength);
    }

    [Fact]
    public void An_auth_deadline_of_0_turns_it_off()
    {
        Assert.Equal(TimeSpan.Zero, Load("--auth-timeout-s", "0").AuthTimeout);
    }

    [Theory]
    [InlineData("--max-unauth-array-length", "0", "must be positive")]
    [InlineData("--max-unauth-bulk-length", "0", "must be positive")]
    [InlineData("--auth-timeout-s", "-1", "cannot be negative")]
    [InlineData("--client-output-hard-limit", "-1", "cannot be negative")]
    [InlineData("--client-output-soft-limit", "-1", "cannot be negative")]
    [InlineData("--client-output-soft-s", "-1", "cannot be negative")]
    public void Values_outside_the_rule_are_refused(string flag, string value, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(flag, value));
        Assert.Equal($"{flag} {message}", error.Message);
    }

    private static ProxyOptions Load(params string[] args) => OptionsLoader.Load(["--node", "h:1", .. args], _ => null);
}
