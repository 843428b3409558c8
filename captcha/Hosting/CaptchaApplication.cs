using Microsoft.Extensions.Options;
using RedisRing.Captcha.Api;
using RedisRing.Captcha.Demo;
using RedisRing.Captcha.Images;
using RedisRing.Captcha.RateLimiting;
using RedisRing.Captcha.Settings;
using RedisRing.Captcha.State;
using RedisRing.Captcha.Tokens;
using StackExchange.Redis;

namespace RedisRing.Captcha.Hosting;

/// <summary>Builds the web application: services, limits, middleware and endpoints.</summary>
internal static class CaptchaApplication
{
    /// <summary>Largest request body accepted (a 1000-point track fits with room to spare).</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    private const string WidgetCorsPolicy = "widget";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json sits beside the dll; the service may be started from anywhere.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        var worker = builder.Configuration.GetSection("Worker").Get<WorkerOptions>() ?? new WorkerOptions();
        if (worker.IsWorker)
        {
            // Every worker listens on the same port; the kernel spreads connections among them.
            builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = ReusePortSocket.Create);
            builder.Services.AddHostedService<SupervisorWatch>();
            if (worker.HeartbeatMs > 0)
            {
                // Registered first among the services, so it beats while the others start (settings load).
                builder.Services.AddSingleton(worker);
                builder.Services.AddHostedService<SupervisorHeartbeat>();
            }
        }

        var keys = SigningKeysSetup.Resolve(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(keys);
        AddServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        if (keys.IsEphemeral)
        {
            SigningKeysSetup.LogEphemeralKey(app.Logger);
        }

        if (worker.Index is { } index)
        {
            WorkerHeader.Use(app, index);
        }

        MapEndpoints(app);
        return app;
    }

    private static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SettingsOptions>(configuration.GetSection("Settings"));
        services.Configure<RedisOptions>(configuration.GetSection("Redis"));
        services.Configure<DemoOptions>(configuration.GetSection("Demo"));
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
        {
            o.MultipartBodyLengthLimit = MaxRequestBodyBytes;
            o.ValueCountLimit = 64;
        });
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton<IConnectionMultiplexer>(sp => RedisConnection.Connect(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration));
        var clientIp = configuration.GetSection("ClientIp").Get<ClientIpOptions>() ?? new ClientIpOptions();
        services.AddSingleton(ClientGrouping(clientIp));
        services.AddSingleton(clientIp);
        services.AddSingleton(SigningKeysSetup.OptionsFrom(configuration));
        services.AddSingleton<TokenSigner>();
        services.AddSingleton<CaptchaStore>();
        services.AddSingleton<RedisRateLimiter>();

        services.AddSingleton<ISiteSettingsSource>(sp => CreateSource(sp.GetRequiredService<IOptions<SettingsOptions>>().Value));
        AddSettingsCache(services, configuration.GetSection("Settings").Get<SettingsOptions>() ?? new SettingsOptions());

        services.Configure<PuzzleOptions>(configuration.GetSection("Images"));
        services.AddSingleton<PuzzlePool>();
        services.AddHostedService<PuzzlePoolFiller>();

        services.AddSingleton<ChallengeEndpoint>();
        services.AddSingleton<VerifyEndpoint>();
        services.AddSingleton<SiteVerifyEndpoint>();
        services.AddSingleton<HealthEndpoint>();
        services.AddSingleton<EmbeddedAssets>();
        services.AddHttpClient("demo", c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddOpenApi();
        // The widget runs on customers' pages and calls the API cross-origin; which hostnames
        // may use a site key is checked per site, not by CORS.
        services.AddCors(o => o.AddPolicy(WidgetCorsPolicy, p => p.AllowAnyOrigin().AllowAnyHeader().WithMethods("POST")));
    }

    private static void AddSettingsCache(IServiceCollection services, SettingsOptions settings)
    {
        if (settings.Cache == SettingsCacheMode.Shared)
        {
            services.AddSingleton<SharedSiteSettingsProvider>();
            services.AddSingleton<ISiteSettingsProvider>(sp => sp.GetRequiredService<SharedSiteSettingsProvider>());
            services.AddSingleton<ISiteSettingsStatus>(sp => sp.GetRequiredService<SharedSiteSettingsProvider>());
            services.AddHostedService<SharedSettingsLoaderService>();
        }
        else
        {
            services.AddSingleton<CachedSiteSettingsProvider>();
            services.AddSingleton<ISiteSettingsProvider>(sp => sp.GetRequiredService<CachedSiteSettingsProvider>());
            services.AddSingleton<ISiteSettingsStatus>(sp => sp.GetRequiredService<CachedSiteSettingsProvider>());
            services.AddHostedService<SiteSettingsRefresher>();
        }
    }

    private static ClientAddressGrouping ClientGrouping(ClientIpOptions options)
    {
        try
        {
            return new ClientAddressGrouping(options.Ipv4PrefixLength, options.Ipv6PrefixLength);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ConfigurationException($"ClientIp:Ipv4PrefixLength must be 8-32 and ClientIp:Ipv6PrefixLength 16-128, not {options.Ipv4PrefixLength} and {options.Ipv6PrefixLength}.");
        }
    }

    private static ISiteSettingsSource CreateSource(SettingsOptions options) =>
        string.IsNullOrWhiteSpace(options.MongoConnectionString)
            ? new JsonSiteSettingsSource(string.IsNullOrWhiteSpace(options.JsonPath) ? null : options.JsonPath)
            : new MongoSiteSettingsSource(options.MongoConnectionString, options.MongoDatabase, options.MongoCollection);

    private static void MapEndpoints(WebApplication app)
    {
        // First, so that everything after it (limits, logs, binding) sees the real client.
        if (ForwardedClientAddress.OptionsFrom(app.Services.GetRequiredService<ClientIpOptions>()) is { } forwarded)
        {
            app.UseForwardedHeaders(forwarded);
        }

        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            if (!response.HasStarted && response.ContentLength is null && response.ContentType is null)
            {
                await response.WriteAsJsonAsync(new ApiError(StatusCodeName(response.StatusCode), "The request was not handled (HTTP " + response.StatusCode + ")."), ApiJsonContext.Default.ApiError);
            }
        });
        // Routing runs after the error handler, so even a routing failure becomes a JSON error.
        app.UseRouting();
        app.UseCors();

        app.MapPost("/api/v1/challenge", (HttpContext c, ChallengeEndpoint e) => e.HandleAsync(c))
            .RequireCors(WidgetCorsPolicy)
            .WithTags("Widget")
            .WithSummary("Issues a challenge: a notched background, the piece and its y position.")
            .Accepts<ChallengeRequest>("application/json")
            .Produces<ChallengeResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status429TooManyRequests)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable);
        app.MapPost("/api/v1/verify", (HttpContext c, VerifyEndpoint e) => e.HandleAsync(c))
            .RequireCors(WidgetCorsPolicy)
            .WithTags("Widget")
            .WithSummary("Checks an answer once; returns a single-use pass token on success.")
            .Accepts<VerifyRequest>("application/json")
            .Produces<VerifyResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status410Gone)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable);
        app.MapPost("/siteverify", (HttpContext c, SiteVerifyEndpoint e) => e.HandleAsync(c))
            .WithTags("Site backend")
            .WithSummary("Redeems a pass token with the site's secret (form or JSON: secret, response, remoteip, idempotency_key).")
            .Accepts<SiteVerifyRequest>("application/x-www-form-urlencoded", "application/json")
            .Produces<SiteVerifyResponse>()
            .Produces<SiteVerifyResponse>(StatusCodes.Status400BadRequest)
            .DisableAntiforgery();
        app.MapGet("/healthz", (HealthEndpoint e) => e.HandleAsync())
            .WithTags("Operations")
            .WithSummary("Health: Redis reachable through the proxy and settings loaded.")
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/metrics", (ISiteSettingsStatus settings) => SettingsMetrics.Write(settings.GetStatus()))
            .WithTags("Operations")
            .WithSummary("Prometheus text metrics: settings cache size, age (staleness), loader role and source reads.")
            .Produces<string>(contentType: "text/plain");
        AssetEndpoints.Map(app);
        app.MapOpenApi();
        if (app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled)
        {
            DemoEndpoints.Map(app);
        }
    }

    private static string StatusCodeName(int status) => status switch
    {
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
        StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
        _ => "http-" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
