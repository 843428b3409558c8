using RedisRing.Proxy.Admin;
using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.Tests.Admin;

/// <summary>The admin port's options and the cost of its measurements on the data path.</summary>
public sealed class AdminOptionsTests
{
    [Fact]
    public void The_admin_port_is_off_by_default()
    {
        Assert.Null(OptionsLoader.Load(["--node", "127.0.0.1:7001"]).Admin.Listen);
    }

    [Fact]
    public void A_non_loopback_admin_address_is_refused_unless_explicitly_allowed()
    {
        var error = Assert.Throws<ConfigurationException>(() => OptionsLoader.Load(["--node", "127.0.0.1:7001", "--admin-listen", "0.0.0.0:9121"]));
        Assert.Contains("not a loopback address", error.Message, StringComparison.Ordinal);

        var allowed = OptionsLoader.Load(["--node", "127.0.0.1:7001", "--admin-listen", "0.0.0.0:9121", "--admin-allow-remote", "yes"]);
        Assert.Equal(9121, allowed.Admin.Listen!.Port);
        Assert.Equal(9121, OptionsLoader.Load(["--node", "127.0.0.1:7001", "--admin-listen", "127.0.0.1:9121"]).Admin.Listen!.Port);
    }

    [Fact]
    public void Observing_latencies_and_counting_calls_allocates_nothing()
    {
        var metrics = new ProxyMetrics();
        var histogram = metrics.RequestDurationsForTests;
        var command = Commands.CommandLookup.Find("GET"u8)!;
        // The first calls may set things up; the steady state is what counts.
        histogram.Observe(0.001, 1);
        command.CountCall();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            histogram.Observe(0.0001 * (i % 100), 3);
            command.CountCall();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
