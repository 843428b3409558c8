using System.Buffers;
using System.Globalization;
using System.Text;
using RedisRing.Resp;

namespace RedisRing.Proxy.Tests.Core;

internal sealed partial class FakeRedisBackend
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _sets = new(StringComparer.Ordinal);

    /// <summary>The string at <paramref name="key"/> on this server, or null.</summary>
    public string? Get(string key)
    {
        lock (_sync)
        {
            return _strings.GetValueOrDefault(key);
        }
    }

    /// <summary>Sets a string directly, bypassing the proxy (to give copies different data).</summary>
    public void Set(string key, string value)
    {
        lock (_sync)
        {
            _strings[key] = value;
        }
    }

    /// <summary>The members of the set at <paramref name="key"/> in insertion order (empty when none).</summary>
    public IReadOnlyList<string> Members(string key)
    {
        lock (_sync)
        {
            return _sets.TryGetValue(key, out var members) ? [.. members] : [];
        }
    }

    /// <summary>Adds set members directly, bypassing the proxy.</summary>
    public void AddMembers(string key, params string[] members)
    {
        lock (_sync)
        {
            var set = _sets.TryGetValue(key, out var existing) ? existing : _sets[key] = [];
            set.AddRange(members.Where(m => !set.Contains(m)));
        }
    }

    // Runs under _sync.
    private byte[] Execute(string command, string[] a)
    {
        var reply = new ArrayBufferWriter<byte>();
        switch (command)
        {
            case "PING":
                RespWriter.WriteSimpleString(reply, "PONG");
                break;
            case "INFO":
                RespWriter.WriteBulk(reply, $"# Server\r\nredis_version:7.0.15-fake\r\nrun_id:{RunId}\r\n");
                break;
            case "GET" when a.Length == 2:
                WriteBulkOrNull(reply, _strings.GetValueOrDefault(a[1]));
                break;
            case "SET" when a.Length >= 3:
                _strings[a[1]] = a[2];
                RespWriter.WriteSimpleString(reply, "OK");
                break;
            case "MSET" when a.Length % 2 == 1:
                for (var i = 1; i < a.Length; i += 2)
                {
                    _strings[a[i]] = a[i + 1];
                }

                RespWriter.WriteSimpleString(reply, "OK");
                break;
            case "MGET":
                RespWriter.WriteArrayHeader(reply, a.Length - 1);
                for (var i = 1; i < a.Length; i++)
                {
                    WriteBulkOrNull(reply, _strings.GetValueOrDefault(a[i]));
                }

                break;
            case "DEL":
                RespWriter.WriteInteger(reply, a.Skip(1).Count(k => _strings.Remove(k) | _sets.Remove(k)));
                break;
            case "SADD" when a.Length >= 3:
            {
                var set = _sets.TryGetValue(a[1], out var existing) ? existing : _sets[a[1]] = [];
                var added = 0;
                foreach (var member in a.Skip(2).Where(m => !set.Contains(m)))
                {
                    set.Add(member);
                    added++;
                }

                RespWriter.WriteInteger(reply, added);
                break;
            }

            case "SREM" when a.Length >= 3:
                RespWriter.WriteInteger(reply, _sets.TryGetValue(a[1], out var members) ? a.Skip(2).Count(members.Remove) : 0);
                break;
            case "SPOP" when a.Length is 2 or 3:
                Pop(reply, a);
                break;
            default:
                RespWriter.WriteError(reply, $"ERR unknown command '{a[0]}' (fake server)");
                break;
        }

        return reply.WrittenSpan.ToArray();
    }

    // Pops from the front, so that tests know which member goes.
    private void Pop(ArrayBufferWriter<byte> reply, string[] a)
    {
        var members = _sets.GetValueOrDefault(a[1]) ?? [];
        if (a.Length == 2)
        {
            if (members.Count == 0)
            {
                RespWriter.WriteNullBulk(reply);
                return;
            }

            RespWriter.WriteBulk(reply, members[0]);
            members.RemoveAt(0);
            return;
        }

        var count = Math.Min(int.Parse(a[2], CultureInfo.InvariantCulture), members.Count);
        RespWriter.WriteArrayHeader(reply, count);
        foreach (var member in members.Take(count).ToList())
        {
            RespWriter.WriteBulk(reply, member);
            members.Remove(member);
        }
    }

    private static void WriteBulkOrNull(ArrayBufferWriter<byte> reply, string? value)
    {
        if (value is null)
        {
            RespWriter.WriteNullBulk(reply);
        }
        else
        {
            RespWriter.WriteBulk(reply, Encoding.Latin1.GetBytes(value));
        }
    }
}
