using System.Text.Json.Serialization;

namespace RedisRing.Captcha.Settings;

/// <summary>The root of a JSON settings file.</summary>
internal sealed class SiteSettingsFile
{
    public List<SiteSettingsDocument>? Sites { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(SiteSettingsFile))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext;
