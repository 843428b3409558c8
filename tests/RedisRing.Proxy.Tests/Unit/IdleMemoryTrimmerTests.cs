using Microsoft.Extensions.Time.Testing;
using RedisRing.Proxy.Buffers;
using RedisRing.Resp;

namespace RedisRing.Proxy.Tests.Unit;

/// <summary>
/// The idle trim on a fake clock: large values served from pooled buffers allocate nothing, yet
/// leave the pool holding them, and a trim must still come once the proxy is quiet; a buffer still
/// in use during that trim is caught by the second one. The pools are the process's own, shared
/// with other tests, so each test waits for its trim over a bounded number of fake seconds.
/// </summary>
public sealed class IdleMemoryTrimmerTests
{
    private const int LargeValue = 20 * 1024 * 1024;

    [Fact]
    public void A_pool_holding_large_buffers_is_trimmed_once_quiet_even_when_they_were_reused_without_allocating()
    {
        ByteArrayPool.Shared.Return(ByteArrayPool.Shared.Rent(LargeValue));
        var time = new FakeTimeProvider();
        var trimmer = new IdleMemoryTrimmer(time);

        // Served from the pool: no allocation after the trimmer's start, only a large rent.
        ByteArrayPool.Shared.Return(ByteArrayPool.Shared.Rent(LargeValue));
        Assert.True(ByteArrayPool.Shared.RetainedBytes >= LargeValue);
        var before = IdleMemoryTrimmer.TotalTrims;

        Assert.True(WaitForTrims(trimmer, time, before + 1, maxSeconds: 20), "no trim came while the pool held a large buffer");
        Assert.True(ByteArrayPool.Shared.RetainedBytes < LargeValue, $"the pool still holds {ByteArrayPool.Shared.RetainedBytes} bytes");
    }

    [Fact]
    public void A_second_trim_follows_the_first_in_the_same_quiet_spell()
    {
        var time = new FakeTimeProvider();
        var trimmer = new IdleMemoryTrimmer(time);
        ByteArrayPool.Shared.Return(ByteArrayPool.Shared.Rent(LargeValue));
        var before = IdleMemoryTrimmer.TotalTrims;

        Assert.True(WaitForTrims(trimmer, time, before + 1, maxSeconds: 20), "no first trim");
        Assert.True(WaitForTrims(trimmer, time, before + 2, maxSeconds: 20), "no second trim in the quiet that followed");
    }

    private static bool WaitForTrims(IdleMemoryTrimmer trimmer, FakeTimeProvider time, int trims, int maxSeconds)
    {
        for (var second = 0; second < maxSeconds && IdleMemoryTrimmer.TotalTrims < trims; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            trimmer.Check();
        }

        return IdleMemoryTrimmer.TotalTrims >= trims;
    }
}
