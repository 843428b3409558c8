
namespace RedisRing.SharedCache.Tests;

/// <summary>A cache path of its own under /dev/shm (like production), removed with everything beside it.</summary>
internal sealed class TempCache : IDisposable
{
    public TempCache(long initialArenaBytes = 1L << 16)
    {
        Directory = System.IO.Path.Combine(System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath(), "redisring-cache-tests", Guid.NewGuid().ToString("N"));
        // Private, as the cache requires of its directory (the loader would create it so itself).
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Options = new SharedCacheOptions { Path = System.IO.Path.Combine(Directory, "settings.cache"), InitialArenaBytes = initialArenaBytes };
    }

    public string Directory { get; }

    public SharedCacheOptions Options { get; }

    public string Path => Options.Path;

    /// <summary>The data file the published link points to.</summary>
    public string DataFile => System.IO.Path.Combine(Directory, new FileInfo(Path).LinkTarget!);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
