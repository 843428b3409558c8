using System.Globalization;

namespace RedisRing.Proxy.Admin;

/// <summary>Reads INFO's <c>repair_job:NODE</c> value (<c>phase=copying,copied=10,...</c>) for /metrics and /api/ring.</summary>
internal static class RepairJobLine
{
    public static Dictionary<string, string> Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[part[..equals]] = part[(equals + 1)..];
            }
        }

        return fields;
    }

    public static double Number(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
