using MongoDB.Bson.Serialization.Attributes;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// The stored shape of one site's settings, the same in the JSON file and in MongoDB. It is
/// validated and turned into <see cref="SiteSettings"/> by <see cref="SiteSettingsValidator"/>;
/// absent fields take the defaults.
/// </summary>
[BsonIgnoreExtraElements]
internal sealed class SiteSettingsDocument
{
    [BsonElement("siteKey")]
    public string? SiteKey { get; set; }

    /// <summary>Hex SHA-256 of the secret (see docs/captcha.md for how to make one).</summary>
    [BsonElement("secretSha256")]
    public string? SecretSha256 { get; set; }

    [BsonElement("allowedHostnames")]
    public List<string>? AllowedHostnames { get; set; }

    [BsonElement("tolerance")]
    public double? Tolerance { get; set; }

    [BsonElement("decoys")]
    public int? Decoys { get; set; }

    [BsonElement("imageWidth")]
    public int? ImageWidth { get; set; }

    [BsonElement("imageHeight")]
    public int? ImageHeight { get; set; }

    [BsonElement("theme")]
    public string? Theme { get; set; }

    [BsonElement("imageFormat")]
    public string? ImageFormat { get; set; }

    [BsonElement("challengeTtlSeconds")]
    public int? ChallengeTtlSeconds { get; set; }

    [BsonElement("tokenTtlSeconds")]
    public int? TokenTtlSeconds { get; set; }

    [BsonElement("minSolveMilliseconds")]
    public int? MinSolveMilliseconds { get; set; }

    [BsonElement("allowKeyboard")]
    public bool? AllowKeyboard { get; set; }

    [BsonElement("keyboardPowBits")]
    public int? KeyboardPowBits { get; set; }

    [BsonElement("allowAccessible")]
    public bool? AllowAccessible { get; set; }

    [BsonElement("accessiblePowBits")]
    public int? AccessiblePowBits { get; set; }

    [BsonElement("accessibleAnswersPerIpPerHour")]
    public int? AccessibleAnswersPerIpPerHour { get; set; }

    [BsonElement("challengesPerIpPerMinute")]
    public int? ChallengesPerIpPerMinute { get; set; }

    [BsonElement("challengesPerSitePerMinute")]
    public int? ChallengesPerSitePerMinute { get; set; }

    [BsonElement("failuresPerIpPerHour")]
    public int? FailuresPerIpPerHour { get; set; }

    [BsonElement("failOpen")]
    public bool? FailOpen { get; set; }

    /// <summary>
    /// When the site's settings last changed (MongoDB only): lets the loader fetch just the sites
    /// changed since its last look. Whoever edits a site sets it; not part of the settings, so it
    /// is neither validated nor stored in the cache.
    /// </summary>
    [BsonElement("updatedAt")]
    [BsonIgnoreIfNull]
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTime? UpdatedAt { get; set; }
}
