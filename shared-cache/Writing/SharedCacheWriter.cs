using RedisRing.SharedCache.Format;
using RedisRing.SharedCache.Security;

namespace RedisRing.SharedCache.Writing;

/// <summary>
/// The one process that changes the cache (the loader). It holds an exclusive lock on "path.lock";
/// the kernel drops that lock when the process dies, however it dies, so any process can take over.
/// A new writer never trusts the file it finds: it verifies it completely and, if anything is wrong
/// (or the file has another layout version), the next full batch is written to a new file instead.
/// Not thread-safe: one thread (the loader host's loop) makes all the calls.
/// </summary>
public sealed unsafe partial class SharedCacheWriter : IDisposable
{
    private readonly SharedCacheOptions _options;
    private readonly FileStream _lock;
    private CacheArena? _arena;
    private bool _trusted;
    private bool _disposed;

    private SharedCacheWriter(SharedCacheOptions options, FileStream lockStream)
    {
        _options = options;
        _lock = lockStream;
        try
        {
            OpenExisting();
        }
        catch
        {
            _arena?.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>Why the file found at start-up was not trusted (null when it was valid or absent).</summary>
    public string? RejectedReason { get; private set; }

    /// <summary>
    /// Whether the file found at start-up had index counts that did not match its slots (a loader was
    /// killed between storing a slot and counting it) and was trusted with the counts taken from the slots.
    /// </summary>
    public bool CountsRecovered => _arena?.CountsRecovered ?? false;

    /// <summary>The mapped file, for the crash-injection child process that stops a loader mid-change.</summary>
    internal CacheArena? Arena => _arena;

    /// <summary>True until a full batch has been loaded into a file this writer trusts.</summary>
    public bool NeedsFullLoad => !_trusted;

    /// <summary>Takes the loader lock; throws <see cref="SharedCacheLockedException"/> when another process holds it.</summary>
    public static SharedCacheWriter Acquire(SharedCacheOptions options) =>
        TryAcquire(options) ?? throw new SharedCacheLockedException($"Another process holds {options.LockPath}.");

    /// <summary>Takes the loader lock, or returns null at once when another process holds it.</summary>
    public static SharedCacheWriter? TryAcquire(SharedCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PrivateFiles.EnsureDirectory(options.CacheDirectory);
        PrivateFiles.CheckNotSymbolicLink(options.LockPath);
        FileStream lockStream;
        try
        {
            // On Unix .NET takes flock(LOCK_EX | LOCK_NB) for FileShare.None: released by the kernel on
            // exit. 0600: a process that can open the lock file can hold the lock and stop all loading.
            lockStream = new FileStream(options.LockPath, PrivateFiles.CreateOptions(FileMode.OpenOrCreate, FileShare.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            PrivateFiles.CheckOpened(lockStream.SafeFileHandle, options.LockPath);
        }
        catch
        {
            lockStream.Dispose();
            throw;
        }

        return new SharedCacheWriter(options, lockStream);
    }

    public SharedCacheMetrics GetMetrics()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _arena is null || !_trusted
            ? SharedCacheMetrics.Empty
            : MetricsSnapshot.Read(_arena.Mapped, _options.TimeProvider, 0, 0);
    }

    private void OpenExisting()
    {
        var target = CacheFiles.CurrentTarget(_options.Path);
        if (target is not null)
        {
            try
            {
                _arena = new CacheArena(MappedFile.Open(target, writable: true));
                RejectedReason = Header.Validate(_arena.Mapped.Base, _arena.Mapped.Length);
                if (RejectedReason is null)
                {
                    // Readers that started under the previous loader retry from here on.
                    _arena.BumpEpoch();
                    RejectedReason = _arena.VerifyAndRecover();
                }
            }
            catch (SharedCacheCorruptException e)
            {
                RejectedReason = e.Message;
            }

            _trusted = RejectedReason is null;
        }

        foreach (var leftover in CacheFiles.Leftovers(_options.Path, target))
        {
            RetireAndDelete(leftover);
        }
    }

    /// <summary>
    /// Makes a new data file the published one: readers still on the old file see its retired mark
    /// at their next lookup and switch; the old file's memory is freed when the last of them unmaps it.
    /// </summary>
    private void Publish(CacheArena fresh)
    {
        CacheFiles.Publish(_options.Path, fresh.Mapped.Path, fresh.FileId);
        var old = _arena;
        _arena = fresh;
        _trusted = true;
        RejectedReason = null;
        if (old is not null)
        {
            old.MarkRetired();
            old.Dispose();
            TryDelete(old.Mapped.Path);
        }
    }

    /// <summary>A data file that an earlier loader left behind (it died mid-growth): retire it for its readers.</summary>
    private static void RetireAndDelete(string path)
    {
        try
        {
            using var mapped = MappedFile.Open(path, writable: true);
            if (Header.Validate(mapped.Base, mapped.Length) is null)
            {
                Volatile.Write(ref mapped.U64(Layout.RetiredOffset), Layout.RetiredMark);
            }
        }
        catch (Exception e) when (e is IOException or SharedCacheCorruptException or SharedCacheUnsafePathException or UnauthorizedAccessException)
        {
            // A temporary link, a broken file or one this loader would not map: nothing to tell readers, just remove it.
        }

        TryDelete(path);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private long NowUnixMs() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private static void CheckSizes(ReadOnlySpan<byte> key, int valueLength)
    {
        if (key.Length is 0 or > Layout.MaxKeyLength)
        {
            throw new ArgumentException($"A key must be 1 to {Layout.MaxKeyLength} bytes long, not {key.Length}.", nameof(key));
        }

        if (valueLength > Layout.MaxValueLength)
        {
            throw new ArgumentException($"A value must be at most {Layout.MaxValueLength} bytes long, not {valueLength}.", nameof(valueLength));
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _arena?.Dispose();
        _lock.Dispose();
    }
}
