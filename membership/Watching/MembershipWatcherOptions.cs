using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RedisRing.Membership.Watching;

/// <summary>Settings of a <see cref="MembershipWatcher"/>.</summary>
public sealed class MembershipWatcherOptions
{
    /// <summary>Changes arriving within this time of the first one are applied as one ring change.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(100);

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
