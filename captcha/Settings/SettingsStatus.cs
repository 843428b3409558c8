namespace RedisRing.Captcha.Settings;

/// <summary>What a process knows about the settings it serves, for /healthz and /metrics.</summary>
internal sealed record SettingsStatus
{
    public required SettingsCacheMode Mode { get; init; }

    /// <summary>Whether any settings were ever loaded (a worker on a warm shared cache: at once).</summary>
    public bool Loaded { get; init; }

    public long Sites { get; init; }

    /// <summary>Time since the last successful load from the source, by whichever process loaded.</summary>
    public TimeSpan? Age { get; init; }

    public bool Stale { get; init; }

    /// <summary>Counts completed loads (shared cache: across every loader the file has had).</summary>
    public long Generation { get; init; }

    /// <summary>Whether this process is the one reading the source (always, in-process).</summary>
    public bool IsLoader { get; init; }

    /// <summary>Reads of the source by this process. With the shared cache only the loader's grows.</summary>
    public long SourceReads { get; init; }

    public long SourceFailures { get; init; }

    /// <summary>The last failure of this process's loads, null after a success (no secrets: type and message).</summary>
    public string? LastError { get; init; }

    /// <summary>Shared cache: bytes of the file's arena holding records and the index (once per host).</summary>
    public long CacheUsedBytes { get; init; }

    /// <summary>Shared cache: lookups by this process, and those that read again because the loader changed the record meanwhile.</summary>
    public long CacheLookups { get; init; }

    public long CacheRetries { get; init; }
}
