using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Requests;

/// <summary>
/// Plans a command whose keys must all live in one replica set (GET, SET, HSET, EVAL with keys
/// ...): the client's bytes go unchanged to that set, read with failover or written to every
/// copy. One instance per client session (it keeps a scratch list); not thread-safe.
/// </summary>
internal sealed class KeyedPlanner
{
    private readonly List<int> _keyIndexes = new(8);

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

        var set = table.Locate(frame[_keyIndexes[0]]);
        for (var i = 1; i < _keyIndexes.Count; i++)
        {
            if (table.Locate(frame[_keyIndexes[i]]).Id != set.Id)
            {
                request.CompleteWithError("CROSSSLOT Keys in request don't hash to the same nodes; use a hash tag such as {user1} in every key");
                return;
            }
        }

        var kind = info.Name == "SPOP" ? SubRequestKind.PopThenRemove : info.IsWrite ? SubRequestKind.Write : SubRequestKind.Read;
        var subRequest = request.AddSubRequest();
        subRequest.Initialize(request, table, set, kind);
        subRequest.UseCommand(frame.Raw);
        if (kind != SubRequestKind.Read)
        {
            foreach (var index in _keyIndexes)
            {
                subRequest.AddKey(frame.GetMemory(index));
            }
        }

        request.Start(ReplyMerge.Single);
    }
}
