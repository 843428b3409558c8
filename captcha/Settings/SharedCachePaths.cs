using System.Security.Cryptography;
using System.Text;
using RedisRing.SharedCache;

namespace RedisRing.Captcha.Settings;

/// <summary>
/// Where the shared settings cache lives when <c>Settings:SharedCachePath</c> is not set: in the
/// user's private runtime directory (<see cref="SharedCacheOptions.DefaultDirectory"/>: in memory,
/// one copy per host and user, closed to other users), named after the source, so processes serving
/// the same settings share one cache and processes serving different settings (two deployments,
/// parallel test runs) never load into each other's.
/// </summary>
internal static class SharedCachePaths
{
    public static string Resolve(SettingsOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SharedCachePath))
        {
            return Path.GetFullPath(options.SharedCachePath);
        }

        return Path.Combine(SharedCacheOptions.DefaultDirectory, "captcha-" + SourceId(options) + ".cache");
    }

    /// <summary>A short hash of what identifies the source (never the MongoDB credentials).</summary>
    private static string SourceId(SettingsOptions options)
    {
        string identity;
        if (!string.IsNullOrWhiteSpace(options.MongoConnectionString))
        {
            var url = MongoDB.Driver.MongoUrl.Create(options.MongoConnectionString);
            identity = "mongodb:" + string.Join(',', url.Servers.Select(s => s.ToString())) + "/" + options.MongoDatabase + "." + options.MongoCollection;
        }
        else
        {
            identity = string.IsNullOrWhiteSpace(options.JsonPath) ? "embedded" : "json:" + Path.GetFullPath(options.JsonPath);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 8));
    }
}
