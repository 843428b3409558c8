using System.Runtime.CompilerServices;
using System.Text.Json;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// Site settings from a JSON file <c>{"sites": [ ... ]}</c>, or from the embedded default file
/// (which holds the demo site) when no path is configured.
/// </summary>
internal sealed class JsonSiteSettingsSource(string? path) : ISiteSettingsSource
{
    internal const string EmbeddedResourceName = "assets/settings/sites.json";

    public string Description => path is null ? "embedded default settings" : "JSON file " + path;

    public async IAsyncEnumerable<IReadOnlyList<SiteSettingsDocument>> ReadBatchesAsync(int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = path is null
            ? typeof(JsonSiteSettingsSource).Assembly.GetManifestResourceStream(EmbeddedResourceName)
                ?? throw new InvalidOperationException("The embedded default settings are missing from the assembly.")
            : File.OpenRead(path);
        var file = await JsonSerializer.DeserializeAsync(stream, SettingsJsonContext.Default.SiteSettingsFile, cancellationToken)
            ?? throw new InvalidDataException("The settings file is empty.");
        var sites = file.Sites ?? [];
        for (var i = 0; i < sites.Count; i += batchSize)
        {
            yield return sites.GetRange(i, Math.Min(batchSize, sites.Count - i));
        }
    }
}
