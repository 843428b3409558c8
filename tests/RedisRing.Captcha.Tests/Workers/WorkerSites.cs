using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RedisRing.Captcha.Tests.Workers;

/// <summary>The settings file of the worker tests: one site whose image width the tests change.</summary>
internal static class WorkerSites
{
    public const string SiteKey = "workers-site";

    public static string Json(int imageWidth) => JsonSerializer.Serialize(new
    {
        sites = new[]
        {
            new Dictionary<string, object>
            {
                ["siteKey"] = SiteKey,
                ["secretSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("secret-of-" + SiteKey))),
                ["imageWidth"] = imageWidth,
                ["challengesPerIpPerMinute"] = 1_000_000,
            },
        },
    });

    /// <summary>Replaces the file the way an editor or a deployment does: write beside it, then rename over it.</summary>
    public static async Task WriteAsync(string path, string json)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, json);
        File.Move(temporary, path, overwrite: true);
    }
}
