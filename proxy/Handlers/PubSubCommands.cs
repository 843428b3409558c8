using System.Buffers;
using System.Text;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.PubSub;
using RedisRing.Proxy.Requests;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>
/// One client's side of pub/sub: (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE with Redis's confirmations
/// (one per name, with the client's own count), the subscribed-mode rules of RESP2, and PUBSUB
/// CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB answered from this proxy's clients.
/// The subscriptions themselves are the proxy's <see cref="PubSubHub"/>, which delivers the
/// messages to <paramref name="push"/>. PUBLISH and SPUBLISH are not here: they are routed like
/// a read of the channel (docs/protocol.md, "Pub/sub"). Called from the session's read loop only.
/// </summary>
internal sealed class PubSubCommands(ProxyContext context, ClientState client, IPushTarget push)
{
    private readonly HashSet<byte[]>[] _subscribed = [new(ByteArrayComparer.Instance), new(ByteArrayComparer.Instance), new(ByteArrayComparer.Instance)];

    /// <summary>
    /// A RESP2 client in subscribed mode may send only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING,
    /// QUIT and RESET: answers the others with Redis's error, and PING with Redis's ["pong", ""].
    /// True when the request is answered here. RESET also ends every subscription.
    /// </summary>
    public bool Intercept(ProxyRequest request, RequestFrame frame, CommandInfo info)
    {
        if (client.Subscriptions == 0)
        {
            return false;
        }

        if (info.Name == "RESET")
        {
            UnsubscribeAll();
            return false;
        }

        if (client.Protocol >= 3 || info.Route == CommandRoute.PubSub && !info.Name.StartsWith("PUBSUB", StringComparison.Ordinal) || info.Name == "QUIT")
        {
            return false;
        }

        if (info.Name == "PING")
        {
            var reply = request.LocalReply;
            RespWriter.WriteArrayHeader(reply, 2);
            RespWriter.WriteBulk(reply, "pong"u8);
            RespWriter.WriteBulk(reply, frame.Count > 1 ? frame[1] : default);
            request.CompleteLocal();
            return true;
        }

        request.CompleteWithError($"ERR Can't execute '{info.Name.ToLowerInvariant()}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
        return true;
    }

    public void Execute(ProxyRequest request, RequestFrame frame, CommandInfo info)
    {
        var reply = request.LocalReply;
        switch (info.Name)
        {
            case "SUBSCRIBE":
                Subscribe(reply, frame, PubSubKind.Channel);
                break;
            case "PSUBSCRIBE":
                Subscribe(reply, frame, PubSubKind.Pattern);
                break;
            case "SSUBSCRIBE":
                Subscribe(reply, frame, PubSubKind.Shard);
                break;
            case "UNSUBSCRIBE":
                Unsubscribe(reply, frame, PubSubKind.Channel);
                break;
            case "PUNSUBSCRIBE":
                Unsubscribe(reply, frame, PubSubKind.Pattern);
                break;
            case "SUNSUBSCRIBE":
                Unsubscribe(reply, frame, PubSubKind.Shard);
                break;
            case "PUBSUB|CHANNELS":
                WriteNames(reply, frame, PubSubKind.Channel);
                break;
            case "PUBSUB|SHARDCHANNELS":
                WriteNames(reply, frame, PubSubKind.Shard);
                break;
            case "PUBSUB|NUMSUB":
                WriteCounts(reply, frame, PubSubKind.Channel);
                break;
            case "PUBSUB|SHARDNUMSUB":
                WriteCounts(reply, frame, PubSubKind.Shard);
                break;
            case "PUBSUB|NUMPAT":
                RespWriter.WriteInteger(reply, context.PubSub.NameCount(PubSubKind.Pattern));
                break;
            default:
                RespWriter.WriteError(reply, "ERR command not supported by the proxy");
                break;
        }

        request.CompleteLocal();
    }

    /// <summary>The connection ended: its subscriptions go (no confirmation to send).</summary>
    public void ClientClosed()
    {
        foreach (var kind in PubSubKinds.All)
        {
            foreach (var name in _subscribed[(int)kind])
            {
                context.PubSub.Unsubscribe(kind, name, push);
            }

            _subscribed[(int)kind].Clear();
        }

        client.Subscriptions = 0;
    }

    private void UnsubscribeAll()
    {
        ClientClosed();
    }

    private void Subscribe(IBufferWriter<byte> reply, RequestFrame frame, PubSubKind kind)
    {
        if (client.Subscriptions == 0)
        {
            push.Activate();
        }

        for (var i = 1; i < frame.Count; i++)
        {
            var name = frame[i].ToArray();
            if (_subscribed[(int)kind].Add(name))
            {
                client.Subscriptions++;
                context.PubSub.Subscribe(kind, name, push);
            }

            WriteConfirmation(reply, PubSubKinds.SubscribeReply(kind), name, CountFor(kind));
        }
    }

    private void Unsubscribe(IBufferWriter<byte> reply, RequestFrame frame, PubSubKind kind)
    {
        var mine = _subscribed[(int)kind];
        if (frame.Count == 1)
        {
            // Without names: every one of the kind, each confirmed; none held gets one null confirmation.
            if (mine.Count == 0)
            {
                WriteConfirmation(reply, PubSubKinds.UnsubscribeReply(kind), null, CountFor(kind));
                return;
            }

            foreach (var name in mine.ToArray())
            {
                Remove(kind, name);
                WriteConfirmation(reply, PubSubKinds.UnsubscribeReply(kind), name, CountFor(kind));
            }

            return;
        }

        for (var i = 1; i < frame.Count; i++)
        {
            var name = frame[i].ToArray();
            Remove(kind, name);
            WriteConfirmation(reply, PubSubKinds.UnsubscribeReply(kind), name, CountFor(kind));
        }
    }

    private void Remove(PubSubKind kind, byte[] name)
    {
        if (_subscribed[(int)kind].Remove(name))
        {
            client.Subscriptions--;
            context.PubSub.Unsubscribe(kind, name, push);
        }
    }

    /// <summary>Redis counts channels and patterns together, shard channels apart.</summary>
    private int CountFor(PubSubKind kind) => kind == PubSubKind.Shard
        ? _subscribed[(int)PubSubKind.Shard].Count
        : _subscribed[(int)PubSubKind.Channel].Count + _subscribed[(int)PubSubKind.Pattern].Count;

    private void WriteConfirmation(IBufferWriter<byte> reply, string what, byte[]? name, int count)
    {
        RespWriter.WriteHeader(reply, client.Protocol >= 3 ? (byte)'>' : (byte)'*', 3);
        RespWriter.WriteBulk(reply, what);
        if (name is null)
        {
            reply.Write(client.Protocol >= 3 ? "_\r\n"u8 : "$-1\r\n"u8);
        }
        else
        {
            RespWriter.WriteBulk(reply, name);
        }

        RespWriter.WriteInteger(reply, count);
    }

    private void WriteNames(IBufferWriter<byte> reply, RequestFrame frame, PubSubKind kind)
    {
        var pattern = frame.Count > 2 ? Encoding.UTF8.GetString(frame[2]) : null;
        var names = context.PubSub.Names(kind, pattern);
        RespWriter.WriteArrayHeader(reply, names.Count);
        foreach (var name in names)
        {
            RespWriter.WriteBulk(reply, name);
        }
    }

    private void WriteCounts(IBufferWriter<byte> reply, RequestFrame frame, PubSubKind kind)
    {
        RespWriter.WriteArrayHeader(reply, (frame.Count - 2) * 2);
        for (var i = 2; i < frame.Count; i++)
        {
            RespWriter.WriteBulk(reply, frame[i]);
            RespWriter.WriteInteger(reply, context.PubSub.SubscriberCount(kind, frame[i]));
        }
    }
}
