using System.Globalization;
using System.Text;
using RedisRing.Membership;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Buffers;
using RedisRing.Proxy.Commands;
using RedisRing.Proxy.Requests;
using RedisRing.Proxy.Routing;
using RedisRing.Resp;

namespace RedisRing.Proxy.Handlers;

/// <summary>INFO [section ...]: the proxy's own sections plus a keyspace summary from the nodes.</summary>
internal static class InfoCommand
{
    private static readonly string[] s_defaultSections = ["server", "clients", "stats", "replication", "ring", "keyspace"];

    public static void Start(ProxyRequest request, RequestFrame frame, ProxyContext context)
    {
        var sections = new List<string>();
        for (var i = 1; i < frame.Count; i++)
        {
            sections.Add(Encoding.UTF8.GetString(frame[i]).ToLowerInvariant());
        }

        if (sections.Count == 0 || sections.Contains("all") || sections.Contains("everything") || sections.Contains("default"))
        {
            sections = [.. s_defaultSections];
        }

        _ = WriteInfoAsync(request, sections, context, context.Routing.Value);
    }

    private static async Task WriteInfoAsync(ProxyRequest request, List<string> sections, ProxyContext context, RoutingTable table)
    {
        var text = new StringBuilder();
        var options = context.Options;
        var stats = context.Stats;
        void Line(string name, object value) => text.Append(name).Append(':').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append("\r\n");
        foreach (var section in sections)
        {
            switch (section)
            {
                case "server":
                    text.Append("# Server\r\n");
                    Line("redis_version", CommandTable.SourceVersion);
                    Line("redisring_version", typeof(InfoCommand).Assembly.GetName().Version?.ToString() ?? "0");
                    Line("redis_mode", "standalone");
                    Line("process_id", Environment.ProcessId);
                    Line("tcp_port", options.Listen.Port);
                    Line("uptime_in_seconds", (long)(context.Time.GetUtcNow() - context.StartedAt).TotalSeconds);
                    break;
                case "clients":
                    text.Append("# Clients\r\n");
                    Line("connected_clients", stats.ConnectedClients);
                    Line("maxclients", options.MaxClients);
                    Line("blocked_clients", context.Blocking.BlockedClients);
                    break;
                case "stats":
                    text.Append("# Stats\r\n");
                    Line("total_connections_received", stats.ConnectionsReceived);
                    Line("total_commands_processed", stats.CommandsProcessed);
                    Line("rejected_connections", stats.RejectedConnections);
                    Line("protocol_errors", stats.ProtocolErrors);
                    Line("client_output_buffer_limit_disconnections", stats.OutputBufferLimitDisconnections);
                    Line("write_copy_failures", table.Backends.Sum(n => n.WriteCopyFailures));
                    Line("read_failovers", table.Backends.Sum(n => n.ReadFailovers));
                    Line("diverged_copies", table.Backends.Sum(n => n.DivergedCopies));
                    Line("command_timeouts", table.Backends.Sum(n => n.CommandTimeouts));
                    Line("allocated_bytes", GC.GetTotalAllocatedBytes(precise: false));
                    Line("gc_collections", GC.CollectionCount(0));
                    Line("memory_trims", IdleMemoryTrimmer.TotalTrims);
                    Line("pooled_large_buffer_bytes", ByteArrayPool.Shared.RetainedBytes);
                    Line("free_socket_blocks", BlockMemoryPool.Instance.FreeBlocks);
                    Line("threadpool_completed_items", ThreadPool.CompletedWorkItemCount);
                    Line("threadpool_threads", ThreadPool.ThreadCount);
                    break;
                case "replication":
                    text.Append("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n");
                    break;
                case "ring":
                    text.Append("# Ring\r\n");
                    Line("ring_version", table.Version);
                    Line("ring_changed_at", table.CreatedAt.ToUnixTimeMilliseconds());
                    Line("ring_replicas", table.Options.Replicas);
                    Line("ring_hash_tag", string.IsNullOrEmpty(table.Options.HashTag) ? "none" : table.Options.HashTag);
                    Line("ring_nodes", table.Backends.Count);
                    Line("ring_readable_nodes", table.ServesReads.Count(r => r));
                    context.RingSource.WriteInfo(Line);
                    for (var i = 0; i < table.Backends.Count; i++)
                    {
                        var node = table.Backends[i];
                        var membership = context.RingSource.IsStatic ? "static" : table.NodeStates[i].ToJson();
                        var state = node.State switch
                        {
                            BackendState.Up => "up",
                            BackendState.Down => "down",
                            BackendState.CatchingUp => "catching_up",
                            _ => "needs_repair",
                        };
                        Line("node" + i.ToString(CultureInfo.InvariantCulture),
                            $"name={node.Name},address={node.Endpoint.Address},weight={table.HashRing.Nodes[i].Weight},membership={membership},state={state},run_id={node.RunId ?? ""},pending={node.PendingCount},hinted_keys={node.Hints.Count},write_copy_failures={node.WriteCopyFailures},read_failovers={node.ReadFailovers},diverged_copies={node.DivergedCopies},command_timeouts={node.CommandTimeouts},stalled={(node.IsStalled ? 1 : 0)},state_changes={node.StateChanges},last_change={node.LastStateChange.ToUnixTimeMilliseconds()}");
                    }

                    break;
                case "keyspace":
                    text.Append("# Keyspace\r\n");
                    await AppendKeyspaceAsync(text, table);
                    break;
            }

            text.Append("\r\n");
        }

        RespWriter.WriteBulk(request.LocalReply, text.ToString());
        request.CompleteLocal();
    }

    /// <summary>
    /// Keys summed over the readable nodes and divided by the replica count: an estimate (exact
    /// when every node is up and every copy complete); DBSIZE counts exactly.
    /// </summary>
    private static async Task AppendKeyspaceAsync(StringBuilder text, RoutingTable table)
    {
        long keys = 0;
        long expires = 0;
        foreach (var node in table.Backends.Where((_, i) => table.IsReadable(i)))
        {
            var reply = await node.ExecuteAsync(RespWriter.CommandBytes("INFO"u8.ToArray(), "keyspace"u8.ToArray()));
            if (reply is null || RespReply.IsError(reply))
            {
                continue;
            }

            foreach (var line in RespReply.GetText(reply).Split("\r\n"))
            {
                if (!line.StartsWith("db0:", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var part in line[4..].Split(','))
                {
                    var pair = part.Split('=');
                    if (pair.Length == 2 && long.TryParse(pair[1], CultureInfo.InvariantCulture, out var value))
                    {
                        keys += pair[0] == "keys" ? value : 0;
                        expires += pair[0] == "expires" ? value : 0;
                    }
                }
            }
        }

        var copies = Math.Max(1, Math.Min(table.Options.Replicas, table.Backends.Where((_, i) => table.ServesReads[i]).Count()));
        if (keys > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"db0:keys={keys / copies},expires={expires / copies},avg_ttl=0\r\n");
        }
    }
}
