using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>
/// DBSIZE, SCAN, KEYS, RANDOMKEY, SCRIPT LOAD/EXISTS, FUNCTION LOAD: commands that concern every
/// node. They run asynchronously on the proxy's own calls to the nodes, on the routing table the
/// request started with, and complete the request with a reply the proxy writes.
/// </summary>
internal static class AllNodesCommands
{
    public static void Start(ProxyRequest request, RequestFrame frame, CommandInfo info, RoutingTable table)
    {
        var arguments = new byte[frame.Count][];
        for (var i = 0; i < frame.Count; i++)
        {
            arguments[i] = frame[i].ToArray();
        }

        _ = RunAsync(request, info.Name, arguments, table);
    }

    private static async Task RunAsync(ProxyRequest request, string name, byte[][] arguments, RoutingTable table)
    {
        try
        {
            switch (name)
            {
                case "DBSIZE":
                    RespWriter.WriteInteger(request.LocalReply, await KeyspaceCommands.CountKeysAsync(table));
                    break;
                case "KEYS":
                    await KeyspaceCommands.KeysAsync(request, table, arguments[1]);
                    break;
                case "SCAN":
                    await KeyspaceCommands.ScanAsync(request, table, arguments);
                    break;
                case "RANDOMKEY":
                    await KeyspaceCommands.RandomKeyAsync(request, table);
                    break;
                default:
                    await BroadcastCommands.BroadcastAsync(request, table, name, arguments);
                    break;
            }

            request.CompleteLocal();
        }
        catch (AllNodesException e)
        {
            request.CompleteWithError(e.Message);
        }
    }
}
