using System.Text.Json;

namespace RedisRing.Proxy.Configuration;

/// <summary>
/// Applies a JSON config file by <see cref="ProxyOptionTable"/>: each property is a setting's
/// name, and its JSON kind must match the setting's type (a number for an integer, not "3").
/// </summary>
internal static class ConfigFileReader
{
    public static ProxyOptions Apply(string path, ProxyOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ConfigurationException($"cannot read config file {path}: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"config file {path}: the top level must be an object");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!ProxyOptionTable.ByName.TryGetValue(property.Name, out var definition))
                {
                    throw new ConfigurationException($"{path}: unknown setting '{property.Name}'");
                }

                var source = $"{path}: '{property.Name}'";
                options = definition.Apply(options, source, Items(definition.Type, property.Value, source));
            }
        }

        return options;
    }

    private static string[] Items(ProxyOptionType type, JsonElement value, string source) => type switch
    {
        ProxyOptionType.Text => value.ValueKind == JsonValueKind.String
            ? [value.GetString()!]
            : throw new ConfigurationException($"{source} must be a string"),
        ProxyOptionType.Integer or ProxyOptionType.LongInteger => value.ValueKind == JsonValueKind.Number
            ? [value.GetRawText()]
            : throw new ConfigurationException($"{source} must be an integer"),
        _ => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : throw new ConfigurationException($"{source} must be an array of strings"),
    };
}
