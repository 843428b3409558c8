using RedisRing.Captcha.State;
using StackExchange.Redis;

namespace RedisRing.Captcha.Tests.State;

/// <summary>
/// Which failures are "the store is unavailable" (503, or fail-open) and which are bugs (500).
/// CLUSTERDOWN and a dead proxy are also tested end to end (StoreDownTests); the error replies a
/// live Redis gives only in passing states (LOADING after a restart, BUSY during a long script)
/// are checked here by their text, as StackExchange.Redis hands them over.
/// </summary>
public sealed class StoreErrorsTests
{
    [Theory]
    [InlineData("CLUSTERDOWN The cluster is down")]
    [InlineData("LOADING Redis is loading the dataset in memory")]
    [InlineData("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.")]
    [InlineData("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.")]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot")]
    [InlineData("TIMEOUT")]
    public void Replies_that_say_the_data_is_out_of_reach_for_now_mean_unavailable(string reply)
    {
        Assert.True(StoreErrors.MeansUnavailable(new RedisServerException(reply)));
    }

    [Theory]
    [InlineData("ERR unknown command 'GETDEL'")]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value")]
    [InlineData("NOSCRIPT No matching script. Please use EVAL.")]
    [InlineData("LOADINGX not a code of ours")]
    [InlineData("ERR LOADING appears later in the text")]
    public void Other_error_replies_are_bugs_not_outages(string reply)
    {
        Assert.False(StoreErrors.MeansUnavailable(new RedisServerException(reply)));
    }

    [Fact]
    public void Connection_failures_and_timeouts_mean_unavailable_and_other_exceptions_do_not()
    {
        Assert.True(StoreErrors.MeansUnavailable(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "no proxy")));
        Assert.True(StoreErrors.MeansUnavailable(new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent)));
        Assert.False(StoreErrors.MeansUnavailable(new InvalidOperationException("a bug")));
        Assert.False(StoreErrors.MeansUnavailable(new FormatException("a bug")));
    }
}
