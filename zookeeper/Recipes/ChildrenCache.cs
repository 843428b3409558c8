using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RedisRing.ZooKeeper.Recipes;

/// <summary>
/// Watches a folder and keeps an immutable snapshot of its children and their data. Any child or
/// data event, a reconnect or a new session triggers a re-read (bursts collapse into one); the
/// snapshot is swapped with one reference write and <see cref="Changed"/> is raised when it
/// differs. While the client is disconnected the last snapshot stays (it may be stale).
/// </summary>
public sealed partial class ChildrenCache : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly ILogger _logger;
    private readonly RecipeWorker _worker;
    private readonly Action<WatchedEvent> _onEvent;
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChildrenSnapshot _current = ChildrenSnapshot.Empty;

    private ChildrenCache(ZooKeeperClient client, string path, ILogger logger)
    {
        _client = client;
        Path = path;
        _logger = logger;
        _onEvent = _ => _worker!.Poke();
        _worker = new RecipeWorker("children cache " + path, RefreshAsync, logger);
        _client.StateChanged += OnStateChanged;
    }

    /// <summary>Raised on the recipe's task after the snapshot changed; handlers should be quick.</summary>
    public event EventHandler<ChildrenChangedEventArgs>? Changed;

    public string Path { get; }

    public ChildrenSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Starts watching <paramref name="path"/> and returns once the first snapshot is loaded.</summary>
    public static async Task<ChildrenCache> StartAsync(ZooKeeperClient client, string path, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ZooKeeperPath.Validate(path);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ChildrenCache>();
        var cache = new ChildrenCache(client, path, logger);
        cache._worker.Poke();
        try
        {
            await cache._loaded.Task.WaitAsync(cancellationToken);
            return cache;
        }
        catch
        {
            await cache.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.StateChanged -= OnStateChanged;
        await _worker.DisposeAsync();
    }

    private void OnStateChanged(object? sender, ZooKeeperStateChangedEventArgs e)
    {
        if (e.State is ZooKeeperState.Connected or ZooKeeperState.Expired)
        {
            _worker.Poke();
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await SessionRenewal.EnsureSessionAsync(_client, cancellationToken);
        ChildrenSnapshot next;
        try
        {
            next = await ReadAsync(cancellationToken);
        }
        catch (NoNodeException)
        {
            // The folder is missing (or went away between the reads): wait for it to appear.
            if (await _client.ExistsAsync(Path, _onEvent, cancellationToken) is not null)
            {
                _worker.Poke();
                return;
            }

            next = ChildrenSnapshot.Empty;
        }

        var previous = Interlocked.Exchange(ref _current, next);
        _loaded.TrySetResult();
        if (!previous.SameAs(next))
        {
            LogChanged(Path, next.Children.Count);
            Changed?.Invoke(this, new ChildrenChangedEventArgs(previous, next));
        }
    }

    private async Task<ChildrenSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var (names, _) = await _client.GetChildrenAsync(Path, _onEvent, cancellationToken);

        // All children are read at once: the requests are pipelined on the one connection.
        var reads = names.Select(name => (name, read: _client.GetDataAsync(ZooKeeperPath.Combine(Path, name), _onEvent, cancellationToken))).ToList();
        var children = ImmutableSortedDictionary.CreateBuilder<string, ChildData>(StringComparer.Ordinal);
        foreach (var (name, read) in reads)
        {
            try
            {
                var (data, stat) = await read;
                children[name] = new ChildData(name, data, stat);
            }
            catch (NoNodeException)
            {
                // Deleted since the listing: the child watch already has the event on its way.
            }
        }

        return new ChildrenSnapshot(children.ToImmutable(), folderExists: true);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Path} now has {Count} children")]
    private partial void LogChanged(string path, int count);
}
