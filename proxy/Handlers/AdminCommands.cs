using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Requests;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>
/// Administrative commands (FLUSHALL, CONFIG SET, SHUTDOWN ...): refused unless enabled with
/// --allow-admin; SHUTDOWN stops the proxy, the others run on every node.
/// </summary>
internal sealed class AdminCommands(ProxyContext context, ClientState client, ILogger logger)
{
    public void Execute(ProxyRequest request, RequestFrame frame, CommandInfo info)
    {
        if (!context.Options.AllowAdminCommands.Contains(info.Name))
        {
            request.CompleteWithError(info.Refusal!);
            return;
        }

        CommandLog.AdminCommand(logger, client.Id, info.Name);
        if (info.Name == "SHUTDOWN")
        {
            // SHUTDOWN stops the proxy, never the nodes behind it.
            request.CloseAfterReply = true;
            RespWriter.WriteSimpleString(request.LocalReply, "OK");
            request.CompleteLocal();
            context.Shutdown.Cancel();
            return;
        }

        AllNodesCommands.Start(request, frame, info, context.Routing.Value);
    }
}
