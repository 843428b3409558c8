namespace RedisRing.Captcha.Api;

/// <summary>Body of <c>GET /healthz</c>.</summary>
internal sealed record HealthResponse(string Status, string Redis, int Sites)
{
    /// <summary>The process that answered (behind one shared port, each worker is its own process).</summary>
    public int Pid { get; init; }

    public SettingsHealth? Settings { get; init; }
}

/// <summary>
/// The settings part of <c>/healthz</c>: whether they are loaded, how old they are (staleness: the
/// source has not been read successfully for that long) and whether this process is the loader.
/// </summary>
internal sealed record SettingsHealth(
    string Cache,
    bool Loaded,
    double? AgeSeconds,
    bool Stale,
    long Generation,
    bool Loader,
    long SourceReads,
    string Source);
