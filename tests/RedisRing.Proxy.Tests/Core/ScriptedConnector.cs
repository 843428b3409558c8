using Microsoft.Extensions.Time.Testing;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Tests.Core;

/// <summary>
/// A connector whose every attempt waits for the test to fail it or connect it, and records the
/// fake time it was made at: the test decides each outcome, and sees when the next attempt comes.
/// </summary>
internal sealed class ScriptedConnector(FakeTimeProvider time) : IBackendConnector
{
    private readonly object _sync = new();
    private readonly List<Attempt> _attempts = [];

    public IReadOnlyList<Attempt> Attempts
    {
        get
        {
            lock (_sync)
            {
                return [.. _attempts];
            }
        }
    }

    public Task<IConnection> ConnectAsync(NodeEndpoint endpoint, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var attempt = new Attempt(time.GetUtcNow(), new TaskCompletionSource<IConnection>());
        lock (_sync)
        {
            _attempts.Add(attempt);
        }

        return attempt.Outcome.Task;
    }

    internal sealed record Attempt(DateTimeOffset At, TaskCompletionSource<IConnection> Outcome)
    {
        public void Fail() => Outcome.SetException(new IOException("connection refused (scripted)"));

        public void Connect(IConnection connection) => Outcome.SetResult(connection);
    }
}
