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

    public int RefreshSeconds { get; set; } = 30;

    public int BatchSize { get; set; } = 500;
}
