using System.Runtime.CompilerServices;
using System.Text;
using RedisRing.SharedCache.Format;
using RedisRing.SharedCache.Security;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.Reading;

/// <summary>
/// A lock-free reader of the shared cache. It maps the published file once and then looks records
/// up through a pointer: no lock and no system call per lookup. Thread-safe.
/// When the loader publishes a new file (growth, rebuild) the reader maps it at its next lookup; it
/// keeps the files it mapped before until it is disposed, because another of its threads may still
/// be reading one of them.
/// </summary>
public sealed unsafe partial class SharedCacheReader : IDisposable
{
    private readonly SharedCacheOptions _options;
    private readonly List<MappedFile> _retired = [];
    private readonly Lock _switchLock = new();
    private MappedFile _current;
    private long _lookups;
    private long _retries;
    private long _nextSwitchAttempt;
    private bool _disposed;

    private SharedCacheReader(SharedCacheOptions options, MappedFile current)
    {
        _options = options;
        _current = current;
    }

    /// <summary>
    /// Maps the published cache file. Throws <see cref="FileNotFoundException"/> (or
    /// <see cref="DirectoryNotFoundException"/>) before a loader has published one,
    /// <see cref="SharedCacheUnsafePathException"/> when the directory or the file could be someone
    /// else's, and <see cref="SharedCacheCorruptException"/> when the file is not valid.
    /// </summary>
    public static SharedCacheReader Open(SharedCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SharedCacheReader(options, MapPublished(options));
    }

    /// <summary>The generation of the data this reader sees (changes with every load).</summary>
    public long Generation
    {
        get
        {
            SwitchIfRetired();
            return (long)Volatile.Read(ref Volatile.Read(ref _current).U64(Layout.GenerationOffset));
        }
    }

    public SharedCacheMetrics GetMetrics()
    {
        SwitchIfRetired();
        return MetricsSnapshot.Read(_current, _options.TimeProvider, _lookups, _retries);
    }

    /// <summary>Looks a UTF-8 encoded string key up; see <see cref="TryGet(ReadOnlySpan{byte}, Span{byte}, out int)"/>.</summary>
    [SkipLocalsInit] // the key buffer is written before it is read; zeroing it would cost more than the lookup
    public LookupStatus TryGet(string key, Span<byte> destination, out int valueLength)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > Layout.MaxKeyLength)
        {
            valueLength = 0;
            return LookupStatus.NotFound;
        }

        Span<byte> utf8 = stackalloc byte[key.Length * 3];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        return TryGet(utf8[..length], destination, out valueLength);
    }

    /// <summary>The value as a new array, or null when there is no such record.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        var buffer = new byte[512];
        while (true)
        {
            switch (TryGet(key, buffer, out var length))
            {
                case LookupStatus.Found:
                    return buffer.AsSpan(0, length).ToArray();
                case LookupStatus.BufferTooSmall:
                    buffer = new byte[length];
                    break;
                default:
                    return null;
            }
        }
    }

    public byte[]? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Get(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>
    /// Maps the file the published link points to, after checking the directory (this user's, 0700)
    /// and that the link leads to a file beside it; the file itself is opened without following
    /// links and checked on the open descriptor. The loader may replace the link in between: the
    /// old target is then gone, and the new link is read again.
    /// </summary>
    private static MappedFile MapPublished(SharedCacheOptions options)
    {
        PrivateFiles.CheckDirectory(options.CacheDirectory);
        var path = options.Path;
        MappedFile mapped;
        for (var attempt = 1; ; attempt++)
        {
            var target = CacheFiles.CurrentTarget(path) ?? throw new FileNotFoundException($"No shared cache has been published at {path} yet.", path);
            try
            {
                mapped = MappedFile.Open(target, writable: false);
                break;
            }
            catch (FileNotFoundException) when (attempt < 3)
            {
            }
        }

        var reason = Header.Validate(mapped.Base, mapped.Length);
        if (reason is not null)
        {
            mapped.Dispose();
            throw new SharedCacheCorruptException($"{path}: {reason}");
        }

        return mapped;
    }

    /// <summary>
    /// Switches to the newly published file once the current one carries the retired mark. When that
    /// fails (no loader finished publishing), it is tried again at most every 100 ms, so a reader
    /// left on a retired file does not make system calls on every lookup.
    /// </summary>
    private bool SwitchIfRetired()
    {
        var current = Volatile.Read(ref _current);
        if (Volatile.Read(ref current.U64(Layout.RetiredOffset)) != Layout.RetiredMark)
        {
            return false;
        }

        if (Environment.TickCount64 < Volatile.Read(ref _nextSwitchAttempt))
        {
            return false;
        }

        lock (_switchLock)
        {
            if (!ReferenceEquals(current, _current) || _disposed)
            {
                return true;
            }

            MappedFile next;
            try
            {
                next = MapPublished(_options);
            }
            catch (Exception e) when (e is IOException or SharedCacheCorruptException or SharedCacheUnsafePathException or UnauthorizedAccessException)
            {
                // The loader is between files or the new one is broken: keep serving the last good one.
                Volatile.Write(ref _nextSwitchAttempt, Environment.TickCount64 + 100);
                return false;
            }

            if (Header.FileId(next.Base) == Header.FileId(current.Base))
            {
                next.Dispose();
                Volatile.Write(ref _nextSwitchAttempt, Environment.TickCount64 + 100);
                return false;
            }

            _retired.Add(current);
            Volatile.Write(ref _current, next);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_switchLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _current.Dispose();
            foreach (var mapped in _retired)
            {
                mapped.Dispose();
            }

            _retired.Clear();
        }
    }
}
