using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Requests;

/// <summary>
/// Plans MGET, MSET, DEL, UNLINK, EXISTS, TOUCH: keys are grouped by replica set and each group is
/// sent as its own command of the same name; the replies are merged into one. When every key
/// falls in one replica set, the client's bytes are sent unchanged. One instance per client
/// session (it keeps a scratch array); not thread-safe.
/// </summary>
internal sealed class SplitPlanner
{
    private int[] _subRequestBySet = [];

    public void Start(ProxyRequest request, RequestFrame frame, CommandInfo info, RoutingTable table)
    {
        var isMset = info.Name == "MSET";
        if (isMset && frame.Count % 2 == 0)
        {
            request.CompleteWithError("ERR wrong number of arguments for 'mset' command");
            return;
        }

        var sets = table.ReplicaSets.Count;
        if (_subRequestBySet.Length < sets)
        {
            _subRequestBySet = new int[sets];
        }

        Array.Fill(_subRequestBySet, -1, 0, sets);
        var kind = info.IsWrite ? SubRequestKind.Write : SubRequestKind.Read;
        var step = isMset ? 2 : 1;
        var merge = info.Name switch
        {
            "MGET" => ReplyMerge.MultiGet,
            "MSET" => ReplyMerge.AllOk,
            _ => ReplyMerge.SumIntegers,
        };

        // First pass: which sets, and how many keys each (to size the rewritten commands).
        var firstSet = -1;
        var single = true;
        for (var i = 1; i < frame.Count; i += step)
        {
            var id = table.Locate(frame[i]).Id;
            if (firstSet < 0)
            {
                firstSet = id;
            }
            else if (id != firstSet)
            {
                single = false;
            }
        }

        if (single)
        {
            var subRequest = request.AddSubRequest();
            subRequest.Initialize(request, table, table.ReplicaSets[firstSet], kind);
            subRequest.UseCommand(frame.Raw);
            if (kind == SubRequestKind.Write)
            {
                for (var i = 1; i < frame.Count; i += step)
                {
                    subRequest.AddKey(frame.GetMemory(i));
                }
            }

            request.Start(ReplyMerge.Single);
            return;
        }

        var counts = new Dictionary<int, int>();
        for (var i = 1; i < frame.Count; i += step)
        {
            var id = table.Locate(frame[i]).Id;
            counts[id] = counts.GetValueOrDefault(id) + 1;
            if (_subRequestBySet[id] < 0)
            {
                _subRequestBySet[id] = request.SubRequestCount;
                var subRequest = request.AddSubRequest();
                subRequest.Initialize(request, table, table.ReplicaSets[id], kind);
            }
        }

        var written = new int[request.SubRequestCount];
        for (var i = 1; i < frame.Count; i += step)
        {
            var id = table.Locate(frame[i]).Id;
            var index = _subRequestBySet[id];
            var subRequest = request.GetSubRequest(index);
            var writer = subRequest.CommandWriter;
            if (written[index] == 0)
            {
                RespWriter.WriteArrayHeader(writer, 1 + (counts[id] * step));
                RespWriter.WriteBulk(writer, frame[0]);
            }

            if (merge == ReplyMerge.MultiGet)
            {
                request.AddPosition(index, written[index]);
            }

            written[index]++;
            RespWriter.WriteBulk(writer, frame[i]);
            if (isMset)
            {
                RespWriter.WriteBulk(writer, frame[i + 1]);
            }

            if (kind == SubRequestKind.Write)
            {
                subRequest.AddKey(frame.GetMemory(i));
            }
        }

        for (var i = 0; i < request.SubRequestCount; i++)
        {
            request.GetSubRequest(i).UseOwnedCommand();
        }

        request.Start(merge);
    }
}
