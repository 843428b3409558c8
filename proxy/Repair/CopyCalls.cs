using System.Globalization;
using System.Text;
using RedisRing.Proxy.Backends;
using RedisRing.Repair;
using RedisRing.Resp;

namespace RedisRing.Proxy.Repair;

/// <summary>
/// The calls anti-entropy makes on a node, over the proxy's own connections: canonical digests of
/// many keys in one Lua call (<see cref="KeyDigest.BatchScript"/>), a key's serialized value and
/// TTL, and a replacement that happens only if the copy did not change since it was compared.
/// </summary>
internal static class CopyCalls
{
    private static readonly byte[] s_eval = "EVAL"u8.ToArray();
    private static readonly byte[] s_batchScript = Encoding.UTF8.GetBytes(KeyDigest.BatchScript);
    private static readonly byte[] s_replaceScript = Encoding.UTF8.GetBytes(KeyDigest.ReplaceIfUnchangedScript);
    private static readonly byte[] s_dumpScript = Encoding.UTF8.GetBytes(BackendNode.DumpScript);

    /// <summary>The digest of each key, in order; null when the node did not answer.</summary>
    public static async Task<KeyDigest[]?> DigestsAsync(BackendNode node, IReadOnlyList<byte[]> keys)
    {
        var arguments = new byte[3 + keys.Count][];
        arguments[0] = s_eval;
        arguments[1] = s_batchScript;
        arguments[2] = Encoding.ASCII.GetBytes(keys.Count.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < keys.Count; i++)
        {
            arguments[3 + i] = keys[i];
        }

        var reply = await node.ExecuteAsync(RespWriter.CommandBytes(arguments));
        var rows = new List<ReadOnlyMemory<byte>>(keys.Count);
        if (reply is null || RespReply.IsError(reply) || !RespReply.TrySplitArray(reply, rows) || rows.Count != keys.Count)
        {
            return null;
        }

        var digests = new KeyDigest[keys.Count];
        var fields = new List<ReadOnlyMemory<byte>>(3);
        for (var i = 0; i < rows.Count; i++)
        {
            fields.Clear();
            if (!RespReply.TrySplitArray(rows[i], fields) || fields.Count != 3 || !RespReply.TryGetInteger(fields[2].Span, out var ttl))
            {
                return null;
            }

            var type = RespReply.GetText(fields[0]);
            digests[i] = type == "none" ? KeyDigest.Missing : new KeyDigest(type, RespReply.GetText(fields[1]), ttl);
        }

        return digests;
    }

    /// <summary>The key's serialized value and TTL read atomically (Payload null: the key does not exist); null when the node did not answer.</summary>
    public static async Task<(byte[]? Payload, long TtlMilliseconds)?> DumpAsync(BackendNode node, byte[] key)
    {
        var reply = await node.ExecuteAsync(RespWriter.CommandBytes(s_eval, s_dumpScript, "1"u8.ToArray(), key));
        var elements = new List<ReadOnlyMemory<byte>>(2);
        if (reply is null || RespReply.IsError(reply) || !RespReply.TrySplitArray(reply, elements) || elements.Count != 2
            || !RespReply.TryGetInteger(elements[0].Span, out var ttl))
        {
            return null;
        }

        var payload = RespReply.GetString(elements[1]);
        return (payload is null || ttl == -2 ? null : payload.Value.ToArray(), ttl);
    }

    /// <summary>
    /// Makes <paramref name="node"/>'s copy the given value (deleted when <paramref name="payload"/>
    /// is null) only if its digest is still <paramref name="expected"/>. True when replaced.
    /// </summary>
    public static async Task<bool> ReplaceIfUnchangedAsync(BackendNode node, byte[] key, KeyDigest expected, byte[]? payload, long ttlMilliseconds)
    {
        var reply = await node.ExecuteAsync(RespWriter.CommandBytes(s_eval, s_replaceScript, "1"u8.ToArray(), key,
            Encoding.ASCII.GetBytes(expected.Type), Encoding.ASCII.GetBytes(expected.Sha1), payload ?? [],
            Encoding.ASCII.GetBytes(Math.Max(ttlMilliseconds, 0).ToString(CultureInfo.InvariantCulture))));
        return reply is not null && RespReply.TryGetInteger(reply, out var replaced) && replaced == 1;
    }

    /// <summary>Writes the value only where the key does not exist (RESTORE without REPLACE). True when written.</summary>
    public static async Task<bool> RestoreIfAbsentAsync(BackendNode node, byte[] key, byte[] payload, long ttlMilliseconds)
    {
        var reply = await node.ExecuteAsync(RespWriter.CommandBytes("RESTORE"u8.ToArray(), key,
            Encoding.ASCII.GetBytes(Math.Max(ttlMilliseconds, 0).ToString(CultureInfo.InvariantCulture)), payload));
        return reply is not null && !RespReply.IsError(reply);
    }

    /// <summary>Whether each key exists, in order; null when the node did not answer.</summary>
    public static async Task<bool[]?> ExistsAsync(BackendNode node, IReadOnlyList<byte[]> keys)
    {
        var results = await Task.WhenAll(keys.Select(k => node.ExecuteAsync(RespWriter.CommandBytes("EXISTS"u8.ToArray(), k))));
        var exists = new bool[keys.Count];
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] is not { } reply || !RespReply.TryGetInteger(reply, out var count))
            {
                return null;
            }

            exists[i] = count > 0;
        }

        return exists;
    }

    /// <summary>Deletes the key and returns the bytes Redis reported it used (MEMORY USAGE), -1 when the node did not answer.</summary>
    public static async Task<long> DeleteCountingBytesAsync(BackendNode node, byte[] key)
    {
        var usage = await node.ExecuteAsync(RespWriter.CommandBytes("MEMORY"u8.ToArray(), "USAGE"u8.ToArray(), key));
        var deleted = await node.ExecuteAsync(RespWriter.CommandBytes("DEL"u8.ToArray(), key));
        if (deleted is null || RespReply.IsError(deleted))
        {
            return -1;
        }

        return usage is not null && RespReply.TryGetInteger(usage, out var bytes) ? bytes : 0;
    }
}
