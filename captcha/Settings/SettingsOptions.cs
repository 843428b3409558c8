namespace RedisRing.Captcha.Settings;

/// <summary>The "Settings" configuration section: where site settings come from and how often they refresh.</summary>
internal sealed class SettingsOptions
{
    /// <summary>A JSON settings file; when empty, the embedded default (the demo site) is used.</summary>
    public string? JsonPath { get; set; }

    /// <summary>When set, settings come from MongoDB instead of the JSON file.</summary>
    public string? MongoConnectionString { get; set; }

    public string MongoDatabase { get; set; } = "redisring_captcha";

    public string MongoCollection { get; set; } = "sites";

    /// <summary>How often the source is checked for changes (a JSON file is also watched).</summary>
    public int RefreshSeconds { get; set; } = 30;

    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// In-process for a single process (<c>--workers 0</c>, tests); the supervisor's workers always
    /// use the shared cache, so the settings are held and loaded once per host.
    /// </summary>
    public SettingsCacheMode Cache { get; set; } = SettingsCacheMode.InProcess;

    /// <summary>
    /// The shared cache file; empty: in the user's private runtime directory, named after the source
    /// (see <see cref="SharedCachePaths"/>). Its directory must be this user's and 0700 (created so when missing).
    /// </summary>
    public string? SharedCachePath { get; set; }

    /// <summary>Shared cache: how often the loader rereads the whole source whatever the change checks found.</summary>
    public int FullReloadSeconds { get; set; } = 300;

    /// <summary>Shared cache: how long a starting worker waits for a first published load before it serves anyway.</summary>
    public int StartupWaitSeconds { get; set; } = 15;

    /// <summary>Settings older than this are reported stale in /healthz and /metrics; 0: three refresh intervals.</summary>
    public int StaleAfterSeconds { get; set; }

    public TimeSpan StaleAfter => TimeSpan.FromSeconds(StaleAfterSeconds > 0 ? StaleAfterSeconds : 3 * Math.Max(1, RefreshSeconds));
}
