using System.Buffers.Text;
using System.Security.Cryptography;
using RedisRing.Captcha.Settings;
using RedisRing.Captcha.State;

namespace RedisRing.Captcha.Api;

/// <summary>
/// <c>GET /healthz</c>: 200 when the store takes a write and reads it back and settings are
/// loaded, else 503. Stale settings (the source unreachable for longer than the threshold) still
/// serve: 200 with status <c>degraded</c>, and the age says how stale.
/// </summary>
internal sealed class HealthEndpoint(CaptchaStore store, ISiteSettingsStatus settings)
{
    private static readonly TimeSpan CheckKeyTtl = TimeSpan.FromSeconds(10);

    // Random per process: processes sharing a host (workers) or a store never share a key.
    private readonly string _checkKey = RedisKeys.Health(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9)));

    public async Task<IResult> HandleAsync()
    {
        string redis;
        try
        {
            var written = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9));
            redis = await store.CheckWriteAndReadAsync(_checkKey, written, CheckKeyTtl) ? "ok" : "inconsistent";
        }
        catch (StoreUnavailableException)
        {
            redis = "unreachable";
        }

        var s = settings.GetStatus();
        var healthy = redis == "ok" && s.Loaded;
        var status = !healthy ? "unhealthy" : s.Stale ? "degraded" : "ok";
        var body = new HealthResponse(status, redis, (int)Math.Min(int.MaxValue, s.Sites))
        {
            Pid = Environment.ProcessId,
            Settings = new SettingsHealth(
                s.Mode == SettingsCacheMode.Shared ? "shared" : "in-process",
                s.Loaded,
                s.Age is { } age ? Math.Round(age.TotalSeconds, 3) : null,
                s.Stale,
                s.Generation,
                s.IsLoader,
                s.SourceReads,
                // The failure's text stays in the logs: it may name internal hosts and paths.
                !s.IsLoader ? "read-by-another-process" : s.LastError is null ? "ok" : "failing"),
        };
        return ApiResults.Json(body, ApiJsonContext.Default.HealthResponse, healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
