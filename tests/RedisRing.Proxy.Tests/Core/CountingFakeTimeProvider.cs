using Microsoft.Extensions.Time.Testing;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers made on it: every Task.Delay,
/// WaitAsync timeout and PeriodicTimer on the injected clock makes one. A test waits for the
/// count to grow to know the proxy has started a wait before it advances the time.
/// </summary>
internal sealed class CountingFakeTimeProvider : FakeTimeProvider
{
    private int _timersCreated;

    public int TimersCreated => Volatile.Read(ref _timersCreated);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timersCreated);
        return timer;
    }
}
