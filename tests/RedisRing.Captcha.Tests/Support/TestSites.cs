using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RedisRing.Captcha.Tests.Support;

/// <summary>The sites the integration tests use, written to a JSON settings file for the service.</summary>
internal static class TestSites
{
    public const string Origin = "http://app.example";

    /// <summary>The everyday site: generous limits so tests in one class do not trip them.</summary>
    public const string Main = "test-site";

    /// <summary>Challenges live three seconds (room for a slow machine to solve one), tokens one.</summary>
    public const string ShortLived = "short-lived-site";

    /// <summary>Three challenges per client per minute.</summary>
    public const string Limited = "limited-site";

    /// <summary>Three challenges per client per minute, for the test with two service instances.</summary>
    public const string SharedLimit = "shared-limit-site";

    /// <summary>Two failed answers per client per hour.</summary>
    public const string Strict = "strict-site";

    /// <summary>Answers siteverify with success when Redis is unreachable.</summary>
    public const string FailOpen = "fail-open-site";

    /// <summary>Two accessible answers per client per hour.</summary>
    public const string AccessibleLimited = "accessible-limited-site";

    /// <summary>Offers no accessible path.</summary>
    public const string NoAccessible = "no-accessible-site";

    /// <summary>
    /// Answers faster than 10 s are too fast: a test that answers at once stays under it however
    /// slow the machine (under the 300 ms of the others, a loaded CI run once was not).
    /// </summary>
    public const string SlowSolve = "slow-solve-site";

    public const string MinSolveMs = "300";

    /// <summary>Proof-of-work difficulties of the test sites: small, so tests solve them in milliseconds.</summary>
    public const int KeyboardPowBits = 10;

    public const int AccessiblePowBits = 12;

    /// <summary>The key every test instance signs with (instances of one test share it, as production's must).</summary>
    public const string SigningKeyId = "test1";

    public static readonly string SigningKey = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("the captcha tests' signing key")));

    /// <summary>Command-line arguments that give a service <see cref="SigningKey"/>.</summary>
    public static string[] SigningKeyArguments => ["--Tokens:CurrentKeyId", SigningKeyId, "--Tokens:CurrentKey", SigningKey];

    public static string SecretOf(string siteKey) => "secret-of-" + siteKey;

    /// <summary>How many sites <see cref="WriteSettingsFile"/> writes.</summary>
    public static int Count => AllSites().Length;

    public static string WriteSettingsFile(string directory)
    {
        var sites = AllSites();
        var path = Path.Combine(directory, "sites-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { sites }));
        return path;
    }

    private static Dictionary<string, object>[] AllSites() =>
    [
        Site(Main, challengesPerIp: 100_000, failures: 100_000),
        Site(ShortLived, challengesPerIp: 100_000, failures: 100_000, challengeTtl: 3, tokenTtl: 1),
        Site(Limited, challengesPerIp: 3, failures: 100_000),
        Site(SharedLimit, challengesPerIp: 3, failures: 100_000),
        Site(Strict, challengesPerIp: 100_000, failures: 2),
        Site(FailOpen, challengesPerIp: 100_000, failures: 100_000, failOpen: true),
        Site(AccessibleLimited, challengesPerIp: 100_000, failures: 100_000, accessiblePerHour: 2),
        Site(NoAccessible, challengesPerIp: 100_000, failures: 100_000, allowAccessible: false),
        Site(SlowSolve, challengesPerIp: 100_000, failures: 100_000, minSolveMs: 10_000),
    ];

    private static Dictionary<string, object> Site(string siteKey, int challengesPerIp, int failures, int challengeTtl = 120, int tokenTtl = 120, bool failOpen = false, int accessiblePerHour = 100_000, bool allowAccessible = true, int? minSolveMs = null) => new()
    {
        ["keyboardPowBits"] = KeyboardPowBits,
        ["accessiblePowBits"] = AccessiblePowBits,
        ["accessibleAnswersPerIpPerHour"] = accessiblePerHour,
        ["allowAccessible"] = allowAccessible,
        ["failOpen"] = failOpen,
        ["siteKey"] = siteKey,
        ["secretSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SecretOf(siteKey)))),
        ["allowedHostnames"] = new[] { "app.example" },
        ["minSolveMilliseconds"] = minSolveMs ?? int.Parse(MinSolveMs, System.Globalization.CultureInfo.InvariantCulture),
        ["challengeTtlSeconds"] = challengeTtl,
        ["tokenTtlSeconds"] = tokenTtl,
        ["challengesPerIpPerMinute"] = challengesPerIp,
        ["failuresPerIpPerHour"] = failures,
    };
}
