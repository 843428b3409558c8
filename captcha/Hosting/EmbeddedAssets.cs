using System.Security.Cryptography;

namespace RedisRing.Captcha.Hosting;

/// <summary>
/// The widget and demo files, read once from the assembly's embedded resources so the service
/// needs no content folder beside it.
/// </summary>
internal sealed class EmbeddedAssets
{
    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public EmbeddedAssets()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("assets/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8)) + "\"";
            _assets[name["assets/".Length..]] = new Asset(content, ContentTypeOf(name), etag);
        }
    }

    public bool TryGet(string path, out Asset asset) => _assets.TryGetValue(path, out asset!);

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".html" => "text/html; charset=utf-8",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };

    internal sealed record Asset(byte[] Content, string ContentType, string ETag);
}
