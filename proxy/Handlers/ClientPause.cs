using RedisRing.Proxy.Commands;

namespace RedisRing.Proxy.Handlers;

/// <summary>
/// CLIENT PAUSE for the proxy's own clients: until the deadline or CLIENT UNPAUSE, each session
/// holds the affected commands (every command but CLIENT's in ALL mode; commands that may write in
/// WRITE mode) before dispatching them, and everything the client sent after them, so its order is
/// kept. Set from any session, read by all: the state is one immutable record swapped under a lock.
/// </summary>
internal sealed class ClientPause(TimeProvider time)
{
    private readonly object _gate = new();
    private Pause? _current;

    /// <summary>The pause in force, or none. A paused session waits on <see cref="Ended"/>.</summary>
    private sealed record Pause(long Until, bool All, TaskCompletionSource Ended);

    /// <summary>
    /// Pauses until <paramref name="timeout"/> from now. As in Redis, a pause in force is only
    /// extended (the later deadline wins) and only widened (ALL wins over WRITE).
    /// </summary>
    public void Start(TimeSpan timeout, bool all)
    {
        var until = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        lock (_gate)
        {
            if (_current is { } now && now.Until > time.GetTimestamp())
            {
                _current = now with { Until = Math.Max(now.Until, until), All = now.All || all };
                return;
            }

            _current = new Pause(until, all, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    public void Stop()
    {
        Pause? ended;
        lock (_gate)
        {
            ended = _current;
            _current = null;
        }

        ended?.Ended.TrySetResult();
    }

    /// <summary>A pause was started and not yet seen to end: one field read, for the sessions' fast path.</summary>
    public bool IsActive => Volatile.Read(ref _current) is not null;

    /// <summary>Whether a command must wait now.</summary>
    public bool Holds(CommandInfo info)
    {
        var pause = Volatile.Read(ref _current);
        if (pause is null || pause.Until <= time.GetTimestamp() || info.Name.StartsWith("CLIENT", StringComparison.Ordinal))
        {
            return false;
        }

        // WRITE mode holds what may change data, as Redis does: writes, scripts and functions
        // (IsWrite counts them), PUBLISH, PFCOUNT (it may rewrite its key) and WAIT.
        return pause.All || info.IsWrite || info.Name is "PUBLISH" or "SPUBLISH" or "PFCOUNT" or "WAIT";
    }

    /// <summary>Returns when the pause in force ends (deadline or UNPAUSE); the caller checks <see cref="Holds"/> again.</summary>
    public async Task WaitAsync()
    {
        var pause = Volatile.Read(ref _current);
        if (pause is null)
        {
            return;
        }

        var remaining = pause.Until - time.GetTimestamp();
        if (remaining > 0)
        {
            using var cancel = new CancellationTokenSource();
            // Task.Delay takes at most ~49 days: a longer pause is waited for in steps (the session asks again).
            var wait = TimeSpan.FromSeconds(Math.Min((double)remaining / time.TimestampFrequency, TimeSpan.FromDays(1).TotalSeconds));
            var delay = Task.Delay(wait, time, cancel.Token);
            await Task.WhenAny(pause.Ended.Task, delay).ConfigureAwait(false);
            await cancel.CancelAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            if (ReferenceEquals(_current, pause) && pause.Until <= time.GetTimestamp())
            {
                _current = null;
                pause.Ended.TrySetResult();
            }
        }
    }
}
