using RedisRing.Captcha.Settings;
using RedisRing.Captcha.State;

namespace RedisRing.Captcha.Api;

/// <summary><c>GET /healthz</c>: 200 when Redis answers and settings are loaded, else 503.</summary>
internal sealed class HealthEndpoint(CaptchaStore store, CachedSiteSettingsProvider settings)
{
    public async Task<IResult> HandleAsync()
    {
        string redis;
        try
        {
            await store.PingAsync();
            redis = "ok";
        }
        catch (StoreUnavailableException)
        {
            redis = "unreachable";
        }

        var healthy = redis == "ok" && settings.IsLoaded;
        return ApiResults.Json(
            new HealthResponse(healthy ? "ok" : "unhealthy", redis, settings.Count),
            ApiJsonContext.Default.HealthResponse,
            healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
