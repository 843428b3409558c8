namespace RedisRing.SharedCache;

/// <summary>Where the cache lives and how large its file may become.</summary>
public sealed record SharedCacheOptions
{
    /// <summary>
    /// The published path: a symbolic link to the current data file beside it. In
    /// <see cref="DefaultDirectory"/> by default. Its directory must belong to this user and be
    /// closed to everyone else (0700): the loader creates it so when it does not exist, and loaders
    /// and readers refuse it otherwise (<see cref="SharedCacheUnsafePathException"/>).
    /// </summary>
    public string Path { get; init; } = System.IO.Path.Combine(DefaultDirectory, "settings.cache");

    /// <summary>Arena size of a new file; it doubles (at least) whenever the records outgrow it.</summary>
    public long InitialArenaBytes { get; init; } = 1L << 20;

    /// <summary>The loader refuses to grow the arena past this size.</summary>
    public long MaxArenaBytes { get; init; } = 1L << 34;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// A directory of this user's own in memory: $XDG_RUNTIME_DIR/redisring when the session has a
    /// runtime directory owned by this user (normally 0700 already), else /dev/shm/redisring-&lt;uid&gt; (tmpfs, so
    /// every process maps the same pages; the uid in the name keeps users out of each other's way),
    /// else the temporary directory. Not a fixed name in a world-writable directory: another user
    /// who created that name first would own the cache.
    /// </summary>
    public static string DefaultDirectory { get; } = ChooseDefaultDirectory();

    internal string CacheDirectory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    internal string LockPath => Path + ".lock";

    private static string ChooseDefaultDirectory()
    {
        // Only a runtime directory of this user's: after sudo or su it may still name the caller's,
        // whose owner could then move the cache directory out from under this process.
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (OperatingSystem.IsLinux() && !string.IsNullOrWhiteSpace(runtime) && System.IO.Path.IsPathRooted(runtime)
            && Security.LibC.LStat(runtime) is { Type: Security.LibC.DirectoryType } found && found.Uid == Security.LibC.geteuid())
        {
            return System.IO.Path.Combine(runtime, "redisring");
        }

        var uid = OperatingSystem.IsLinux() ? Security.LibC.geteuid().ToString(System.Globalization.CultureInfo.InvariantCulture) : Environment.UserName;
        var memory = System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        return System.IO.Path.Combine(memory, "redisring-" + uid);
    }
}
