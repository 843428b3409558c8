using System.Text;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Routing;

namespace RedisRing.Proxy.PubSub;

/// <summary>
/// This proxy's subscriptions, shared by its clients. A channel (or shard channel) is placed on
/// the ring like a key and subscribed on every owner of its replica set, a pattern on every
/// node; PUBLISH goes to one owner only (the first readable copy, as a read), so each message
/// reaches the proxy from exactly one node and is forwarded once to each subscribed client, and
/// when that owner dies publishers move to the next one, where the proxy is already subscribed.
/// Subscriptions are counted per client: a node sees one subscription per channel from this
/// proxy (on its <see cref="NodeSubscriber"/>) however many clients hold it. The ring is
/// followed on the server's timer: a channel's node subscriptions move with its owners.
/// </summary>
internal sealed partial class PubSubHub : IDisposable
{
    private readonly object _sync = new();
    private readonly Dictionary<byte[], Topic>[] _topics = new Dictionary<byte[], Topic>[PubSubKinds.Count];
    private readonly Dictionary<BackendNode, NodeSubscriber> _subscribers = [];
    private readonly CurrentRoutingTable _routing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private RoutingTable? _followed;
    private bool _disposed;

    public PubSubHub(CurrentRoutingTable routing, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _routing = routing;
        _time = time;
        _logger = loggerFactory.CreateLogger<PubSubHub>();
        for (var i = 0; i < _topics.Length; i++)
        {
            _topics[i] = new Dictionary<byte[], Topic>(ByteArrayComparer.Instance);
        }
    }

    /// <summary>Adds <paramref name="target"/> to the subscribers of <paramref name="name"/>; the first one subscribes the proxy on the owners.</summary>
    public void Subscribe(PubSubKind kind, byte[] name, IPushTarget target)
    {
        lock (_sync)
        {
            FollowRingLocked();
            var topics = _topics[(int)kind];
            if (!topics.TryGetValue(name, out var topic))
            {
                topic = new Topic(name, OwnersOf(kind, name, _followed!));
                topics[name] = topic;
                foreach (var node in topic.Nodes)
                {
                    SubscriberOf(node).Want(kind, name);
                }
            }

            topic.Add(target);
        }
    }

    /// <summary>Removes <paramref name="target"/>; the last one unsubscribes the proxy from the owners.</summary>
    public void Unsubscribe(PubSubKind kind, byte[] name, IPushTarget target)
    {
        lock (_sync)
        {
            var topics = _topics[(int)kind];
            if (!topics.TryGetValue(name, out var topic) || !topic.Remove(target) || topic.Subscribers.Length > 0)
            {
                return;
            }

            topics.Remove(name);
            foreach (var node in topic.Nodes)
            {
                if (_subscribers.TryGetValue(node, out var subscriber))
                {
                    subscriber.Drop(kind, name);
                }
            }
        }
    }

    /// <summary>
    /// A node sent a message: forwards its frame (<paramref name="frame"/>, the node's own bytes)
    /// to every client subscribed to <paramref name="name"/> (the channel, or the pattern of a pmessage).
    /// </summary>
    public void Deliver(PubSubKind kind, ReadOnlySpan<byte> name, ReadOnlySpan<byte> frame)
    {
        IPushTarget[] targets;
        lock (_sync)
        {
            var lookup = _topics[(int)kind].GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!lookup.TryGetValue(name, out var topic))
            {
                // Unsubscribed meanwhile: the node's confirmation is on its way.
                return;
            }

            targets = topic.Subscribers;
        }

        foreach (var target in targets)
        {
            target.Push(frame);
        }
    }

    /// <summary>Called by the server's timer: when the routing table changed, moves each channel's node subscriptions to its new owners.</summary>
    public void FollowRing()
    {
        if (ReferenceEquals(Volatile.Read(ref _followed), _routing.Value))
        {
            return;
        }

        lock (_sync)
        {
            FollowRingLocked();
        }
    }

    /// <summary>Names with at least one subscriber on this proxy, matching <paramref name="pattern"/> when given (PUBSUB CHANNELS, SHARDCHANNELS).</summary>
    public List<byte[]> Names(PubSubKind kind, string? pattern)
    {
        lock (_sync)
        {
            var names = new List<byte[]>();
            foreach (var name in _topics[(int)kind].Keys)
            {
                if (pattern is null || Glob.IsMatch(pattern, Encoding.UTF8.GetString(name)))
                {
                    names.Add(name);
                }
            }

            return names;
        }
    }

    /// <summary>This proxy's clients subscribed to <paramref name="name"/> (PUBSUB NUMSUB, SHARDNUMSUB).</summary>
    public int SubscriberCount(PubSubKind kind, ReadOnlySpan<byte> name)
    {
        lock (_sync)
        {
            var lookup = _topics[(int)kind].GetAlternateLookup<ReadOnlySpan<byte>>();
            return lookup.TryGetValue(name, out var topic) ? topic.Subscribers.Length : 0;
        }
    }

    /// <summary>Distinct names of a kind with subscribers on this proxy (PUBSUB NUMPAT for patterns).</summary>
    public int NameCount(PubSubKind kind)
    {
        lock (_sync)
        {
            return _topics[(int)kind].Count;
        }
    }

    /// <summary>The nodes this proxy keeps a subscriber connection to, for tests and INFO.</summary>
    public int SubscriberConnections
    {
        get
        {
            lock (_sync)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
            foreach (var subscriber in _subscribers.Values)
            {
                subscriber.Dispose();
            }

            _subscribers.Clear();
        }
    }

    private void FollowRingLocked()
    {
        var table = _routing.Value;
        if (ReferenceEquals(table, _followed))
        {
            return;
        }

        Volatile.Write(ref _followed, table);
        foreach (var kind in PubSubKinds.All)
        {
            foreach (var topic in _topics[(int)kind].Values)
            {
                var owners = OwnersOf(kind, topic.Name, table);
                foreach (var node in owners)
                {
                    if (Array.IndexOf(topic.Nodes, node) < 0)
                    {
                        SubscriberOf(node).Want(kind, topic.Name);
                    }
                }

                foreach (var node in topic.Nodes)
                {
                    if (Array.IndexOf(owners, node) < 0 && _subscribers.TryGetValue(node, out var subscriber))
                    {
                        subscriber.Drop(kind, topic.Name);
                    }
                }

                topic.Nodes = owners;
            }
        }

        // A node that left the ring owns nothing any more: its subscriber connection goes.
        List<BackendNode>? gone = null;
        foreach (var node in _subscribers.Keys)
        {
            if (!table.Backends.Contains(node))
            {
                (gone ??= []).Add(node);
            }
        }

        foreach (var node in gone ?? [])
        {
            _subscribers.Remove(node, out var subscriber);
            subscriber!.Dispose();
        }

        if (gone is not null || _topics.Any(t => t.Count > 0))
        {
            LogRingFollowed(_logger, table.Version, _subscribers.Count);
        }
    }

    /// <summary>Patterns: every node. Channels: every copy of the channel's replica set (readers and writers, joining ones included).</summary>
    private static BackendNode[] OwnersOf(PubSubKind kind, byte[] name, RoutingTable table)
    {
        if (table.Backends.Count == 0)
        {
            return [];
        }

        if (kind == PubSubKind.Pattern)
        {
            return [.. table.Backends];
        }

        var set = table.Locate(name);
        var owners = new BackendNode[set.Writes.Length];
        for (var i = 0; i < owners.Length; i++)
        {
            owners[i] = table.Backends[set.Writes[i]];
        }

        return owners;
    }

    private NodeSubscriber SubscriberOf(BackendNode node)
    {
        if (!_subscribers.TryGetValue(node, out var subscriber))
        {
            subscriber = new NodeSubscriber(node, this, _time, _logger);
            _subscribers[node] = subscriber;
            if (!_disposed)
            {
                subscriber.Start();
            }
        }

        return subscriber;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pub/sub follows ring version {Version}: subscriber connections to {Nodes} nodes")]
    private static partial void LogRingFollowed(ILogger logger, long version, int nodes);

    /// <summary>One channel, pattern or shard channel with subscribers on this proxy.</summary>
    private sealed class Topic(byte[] name, BackendNode[] nodes)
    {
        public byte[] Name { get; } = name;

        /// <summary>The nodes the proxy subscribed it on.</summary>
        public BackendNode[] Nodes { get; set; } = nodes;

        /// <summary>Copied on change, so that delivery reads it without the lock.</summary>
        public IPushTarget[] Subscribers { get; private set; } = [];

        public void Add(IPushTarget target)
        {
            if (Array.IndexOf(Subscribers, target) < 0)
            {
                Subscribers = [.. Subscribers, target];
            }
        }

        public bool Remove(IPushTarget target)
        {
            var index = Array.IndexOf(Subscribers, target);
            if (index < 0)
            {
                return false;
            }

            var next = new IPushTarget[Subscribers.Length - 1];
            Subscribers.AsSpan(0, index).CopyTo(next);
            Subscribers.AsSpan(index + 1).CopyTo(next.AsSpan(index));
            Subscribers = next;
            return true;
        }
    }
}
