using System.Text;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Requests;
using RedisRing.Resp;

namespace RedisRing.Proxy.Server;

internal sealed partial class ClientSession
{
    private readonly List<int> _keyIndexes = new(8);

    private void Dispatch(ProxyRequest request, RequestFrame frame)
    {
        var info = CommandLookup.Find(frame[0]);
        if (info is null)
        {
            request.CompleteWithError($"ERR unknown command '{Printable(frame[0])}', with args beginning with: {ArgsPreview(frame)}");
            return;
        }

        if (!info.ArityMatches(frame.Count))
        {
            request.CompleteWithError($"ERR wrong number of arguments for '{info.Name.ToLowerInvariant()}' command");
            return;
        }

        if (info.Subcommands is not null && frame.Count > 1 && CommandLookup.FindSubcommand(info, frame[1]) is { } sub)
        {
            info = sub;
            if (!info.ArityMatches(frame.Count))
            {
                request.CompleteWithError($"ERR wrong number of arguments for '{info.Name.ToLowerInvariant().Replace('|', ' ')}' command");
                return;
            }
        }
        else if (info.Subcommands is not null && info.Route != CommandRoute.Local)
        {
            var subName = frame.Count > 1 ? Printable(frame[1]) : "";
            request.CompleteWithError($"ERR unknown subcommand '{subName}'. Try {info.Name} HELP.");
            return;
        }

        if (!_authenticated && info.Name is not ("AUTH" or "HELLO" or "QUIT"))
        {
            request.CompleteWithError("NOAUTH Authentication required.");
            return;
        }

        switch (info.Route)
        {
            case CommandRoute.Keyed:
                DispatchKeyed(request, frame, info);
                break;
            case CommandRoute.Split:
                DispatchSplit(request, frame, info);
                break;
            case CommandRoute.Local:
                DispatchLocal(request, frame, info);
                break;
            case CommandRoute.AllNodes:
            case CommandRoute.Broadcast:
                DispatchAllNodes(request, frame, info);
                break;
            case CommandRoute.Admin:
                DispatchAdmin(request, frame, info);
                break;
            default:
                request.CompleteWithError(info.Refusal ?? "ERR command not supported by the proxy");
                break;
        }
    }

    private void DispatchKeyed(ProxyRequest request, RequestFrame frame, CommandInfo info)
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

        var ring = Ring;
        var set = ring.Ring.Locate(frame[_keyIndexes[0]]);
        for (var i = 1; i < _keyIndexes.Count; i++)
        {
            if (ring.Ring.Locate(frame[_keyIndexes[i]]).Id != set.Id)
            {
                request.CompleteWithError("CROSSSLOT Keys in request don't hash to the same nodes; use a hash tag such as {user1} in every key");
                return;
            }
        }

        var kind = info.Name == "SPOP" ? SubRequestKind.PopThenRemove : info.IsWrite ? SubRequestKind.Write : SubRequestKind.Read;
        var subRequest = request.AddSubRequest();
        subRequest.Initialize(request, ring, set, kind);
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

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes.Length > 64 ? bytes[..64] : bytes);
        return text.Replace('\r', ' ').Replace('\n', ' ');
    }

    private static string ArgsPreview(RequestFrame frame)
    {
        var builder = new StringBuilder();
        for (var i = 1; i < frame.Count && i < 4; i++)
        {
            builder.Append('\'').Append(Printable(frame[i])).Append("' ");
        }

        return builder.ToString();
    }
}
