using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Requests;

/// <summary>
/// Plans a command whose keys must all live in one replica set (GET, SET, HSET, EVAL with keys
/// ...): the client's bytes go unchanged to that set, read with failover or written to every
/// copy. One instance per client session (it keeps a scratch list); not thread-safe. A write
/// that may add elements wakes the clients of this proxy blocked on its keys (<see cref="KeyWaiters"/>).
/// </summary>
internal sealed class KeyedPlanner(ScriptCache scripts, KeyWaiters? waiters = null)
{
    public const string CrossSlotError = "CROSSSLOT Keys in request don't hash to the same slot: RedisRing runs a multi-key command only when all its keys have the same hash tag, such as {user1}:a and {user1}:b";

    private readonly List<int> _keyIndexes = new(8);

    /// <summary>The blocked client this planner runs pops for, which its own writes do not wake.</summary>
    public IKeyWaiter? Waiter { get; set; }

    public void Start(ProxyRequest request, RequestFrame frame, CommandInfo info, RoutingTable table)
    {
        var error = KeyFinding.FindKeys(info, frame, _keyIndexes);
        if (error is not null)
        {
            request.CompleteWithError(error);
            return;
        }

        if (_keyIndexes.Count == 0)
        {
            request.CompleteWithError($"ERR '{info.Name.ToLowerInvariant()}' without keys cannot be routed by RedisRing: pass at least one key");
            return;
        }

        // Multi-key commands that cannot be split run only when every key has the same hashed
        // part (the same {tag}, or equal keys), as in Redis Cluster: whether two untagged keys
        // share a replica set depends on today's ring and changes when a node joins, so allowing
        // it would make a command work today and fail tomorrow (docs/protocol.md, "Multi-key commands").
        var hashed = table.HashedPart(frame[_keyIndexes[0]]);
        for (var i = 1; i < _keyIndexes.Count; i++)
        {
            if (!table.HashedPart(frame[_keyIndexes[i]]).SequenceEqual(hashed))
            {
                request.CompleteWithError(CrossSlotError);
                return;
            }
        }

        var set = table.Locate(frame[_keyIndexes[0]]);
        var rewrite = FirstCopyRewriteOf(info, frame);
        var kind = rewrite is not null ? SubRequestKind.PopThenRemove : info.IsWrite ? SubRequestKind.Write : SubRequestKind.Read;
        var subRequest = request.AddSubRequest();
        subRequest.Initialize(request, table, set, kind, rewrite ?? FirstCopyRewrite.SpopMembers);
        subRequest.UseCommand(frame.Raw);
        if (info.MayRunLong)
        {
            subRequest.MarkMayRunLong();
        }

        if (info.Name is "EVAL" or "EVAL_RO")
        {
            scripts.Remember(frame[1]);
        }
        else if (info.Name is "EVALSHA" or "EVALSHA_RO")
        {
            subRequest.UseScriptCache(scripts);
        }

        if (kind != SubRequestKind.Read)
        {
            foreach (var index in _keyIndexes)
            {
                subRequest.AddKey(frame.GetMemory(index));
            }
        }

        request.Start(ReplyMerge.Single);
        if (kind != SubRequestKind.Read)
        {
            // After the write was queued (or parked) under the gate: the pop a woken client
            // retries is queued behind it on every copy.
            waiters?.OnWrite(info.Name, frame, _keyIndexes, Waiter);
        }
    }

    /// <summary>Whether the command's effect depends on the node that runs it, and how the other copies follow.</summary>
    private static FirstCopyRewrite? FirstCopyRewriteOf(CommandInfo info, RequestFrame frame) => info.Name switch
    {
        "SPOP" => FirstCopyRewrite.SpopMembers,
        "XADD" when FollowUpCommands.XaddIdIndex(frame) is var id && id > 0 && frame[id].SequenceEqual("*"u8) => FirstCopyRewrite.XaddId,
        "XCLAIM" or "XAUTOCLAIM" => FirstCopyRewrite.ClaimIds,
        _ => null,
    };
}
