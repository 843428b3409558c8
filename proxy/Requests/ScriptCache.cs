using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace RedisRing.Proxy.Requests;

/// <summary>
/// The bodies of the Lua scripts this proxy has seen (EVAL, EVAL_RO, SCRIPT LOAD), by SHA1, so
/// that an EVALSHA one copy answers with NOSCRIPT (a node that restarted and lost its script
/// cache) can be run there as EVAL while the other copies ran it from their caches: the script
/// runs once on every copy, and the client never sees NOSCRIPT for a script a copy still knows.
/// Bounded; past the bound new scripts are not remembered (Redis's own cache is unbounded, but a
/// client that makes a new script per call should not fill the proxy).
/// </summary>
internal sealed class ScriptCache(int maxScripts = 10_000, long maxBytes = 64L * 1024 * 1024)
{
    private readonly ConcurrentDictionary<string, byte[]> _bodies = new(StringComparer.Ordinal);
    private long _bytes;

    public int Count => _bodies.Count;

    /// <summary>Remembers <paramref name="body"/> under its SHA1 (lower-case hex, as Redis names scripts).</summary>
    public void Remember(ReadOnlySpan<byte> body)
    {
        if (_bodies.Count >= maxScripts || Interlocked.Read(ref _bytes) + body.Length > maxBytes)
        {
            return;
        }

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(body, hash);
        var sha = Convert.ToHexStringLower(hash);
        if (!_bodies.ContainsKey(sha) && _bodies.TryAdd(sha, body.ToArray()))
        {
            Interlocked.Add(ref _bytes, body.Length);
        }
    }

    /// <summary>The body of the script named <paramref name="sha"/> (any case), or null when unknown.</summary>
    public byte[]? Find(ReadOnlySpan<byte> sha)
    {
        if (sha.Length != SHA1.HashSizeInBytes * 2)
        {
            return null;
        }

        Span<char> lower = stackalloc char[sha.Length];
        for (var i = 0; i < sha.Length; i++)
        {
            lower[i] = (char)(sha[i] is >= (byte)'A' and <= (byte)'F' ? sha[i] + 32 : sha[i]);
        }

        return _bodies.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(lower, out var body) ? body : null;
    }
}
