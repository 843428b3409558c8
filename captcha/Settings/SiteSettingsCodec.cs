using System.Text.Json;
using System.Text.Json.Serialization;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// How one site is stored in the shared cache: its validated document as compact JSON (absent
/// fields left out, so a typical site takes about 300 bytes). Workers decode it with the same
/// validator the loader used, so a record written by an older or newer loader is checked again
/// rather than trusted.
/// </summary>
internal static class SiteSettingsCodec
{
    public static byte[] Encode(SiteSettingsDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, StoredSettingsJsonContext.Default.SiteSettingsDocument);

    public static bool TryDecode(ReadOnlySpan<byte> value, out SiteSettings? settings, out string? error)
    {
        SiteSettingsDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(value, StoredSettingsJsonContext.Default.SiteSettingsDocument);
        }
        catch (JsonException e)
        {
            settings = null;
            error = "stored settings are not valid JSON: " + e.Message;
            return false;
        }

        if (document is null)
        {
            settings = null;
            error = "stored settings are null";
            return false;
        }

        return SiteSettingsValidator.TryCreate(document, out settings, out error);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SiteSettingsDocument))]
internal sealed partial class StoredSettingsJsonContext : JsonSerializerContext;
