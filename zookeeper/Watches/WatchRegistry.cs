namespace RedisRing.ZooKeeper.Watches;

/// <summary>
/// The client's side of the watches it set, keyed by server path. The server keeps at most one
/// watch of each kind per path and session, so several callers watching the same path share it
/// and all hear the event. One-shot watches are removed when they fire; persistent ones stay.
/// </summary>
internal sealed class WatchRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _exist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _child = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _persistent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _recursive = new(StringComparer.Ordinal);

    public void AddData(string path, Action<WatchedEvent> watcher) => Add(_data, path, watcher);

    public void AddExist(string path, Action<WatchedEvent> watcher) => Add(_exist, path, watcher);

    public void AddChild(string path, Action<WatchedEvent> watcher) => Add(_child, path, watcher);

    public void AddPersistent(string path, AddWatchMode mode, Action<WatchedEvent> watcher) =>
        Add(mode == AddWatchMode.PersistentRecursive ? _recursive : _persistent, path, watcher);

    /// <summary>Removes a persistent watcher; returns whether the path has none of that mode left.</summary>
    public bool RemovePersistent(string path, AddWatchMode mode, Action<WatchedEvent> watcher)
    {
        var map = mode == AddWatchMode.PersistentRecursive ? _recursive : _persistent;
        lock (_lock)
        {
            if (!map.TryGetValue(path, out var set))
            {
                return true;
            }

            set.Remove(watcher);
            if (set.Count > 0)
            {
                return false;
            }

            map.Remove(path);
            return true;
        }
    }

    /// <summary>Whether the path has data, exists or child watchers.</summary>
    public bool HasOneShot(string path)
    {
        lock (_lock)
        {
            return _data.ContainsKey(path) || _exist.ContainsKey(path) || _child.ContainsKey(path);
        }
    }

    /// <summary>The watchers an event goes to; one-shot watchers are taken out (Java's ZKWatchManager rules).</summary>
    public List<Action<WatchedEvent>> Take(WatchEventType type, string path)
    {
        var result = new List<Action<WatchedEvent>>();
        lock (_lock)
        {
            switch (type)
            {
                case WatchEventType.NodeCreated:
                case WatchEventType.NodeDataChanged:
                    TakeAll(_data, path, result);
                    TakeAll(_exist, path, result);
                    break;
                case WatchEventType.NodeChildrenChanged:
                    TakeAll(_child, path, result);
                    break;
                case WatchEventType.NodeDeleted:
                    TakeAll(_data, path, result);
                    TakeAll(_exist, path, result);
                    TakeAll(_child, path, result);
                    break;
            }

            if (_persistent.TryGetValue(path, out var persistent))
            {
                AddDistinct(result, persistent);
            }

            // Recursive watches never see child events: the node events below cover them.
            if (type != WatchEventType.NodeChildrenChanged && _recursive.Count > 0)
            {
                for (var node = path; ; node = ZooKeeperPath.Parent(node))
                {
                    if (_recursive.TryGetValue(node, out var recursive))
                    {
                        AddDistinct(result, recursive);
                    }

                    if (node == "/")
                    {
                        break;
                    }
                }
            }
        }

        return result;
    }

    /// <summary>What to ask the server to restore after a reconnect.</summary>
    public WatchSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new WatchSnapshot([.. _data.Keys], [.. _exist.Keys], [.. _child.Keys], [.. _persistent.Keys], [.. _recursive.Keys]);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _data.Clear();
            _exist.Clear();
            _child.Clear();
            _persistent.Clear();
            _recursive.Clear();
        }
    }

    private void Add(Dictionary<string, HashSet<Action<WatchedEvent>>> map, string path, Action<WatchedEvent> watcher)
    {
        lock (_lock)
        {
            if (!map.TryGetValue(path, out var set))
            {
                map[path] = set = [];
            }

            set.Add(watcher);
        }
    }

    private static void TakeAll(Dictionary<string, HashSet<Action<WatchedEvent>>> map, string path, List<Action<WatchedEvent>> result)
    {
        if (map.Remove(path, out var set))
        {
            AddDistinct(result, set);
        }
    }

    private static void AddDistinct(List<Action<WatchedEvent>> result, HashSet<Action<WatchedEvent>> set)
    {
        foreach (var watcher in set)
        {
            if (!result.Contains(watcher))
            {
                result.Add(watcher);
            }
        }
    }
}
