using RedisRing.Captcha.Tokens;

namespace RedisRing.Captcha.Hosting;

/// <summary>Builds the supervisor process: logging and configuration as the workers have, no web server.</summary>
internal static class SupervisorApplication
{
    public static IHost Build(int workers, string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        var options = new SupervisorOptions(workers, args);
        // Tests (and impatient operators) may give up on a worker that cannot start sooner.
        var supervisor = builder.Configuration.GetSection("Supervisor");
        options = options with
        {
            MaxQuickExits = supervisor.GetValue("MaxQuickExits", options.MaxQuickExits),
            HeartbeatInterval = Milliseconds(supervisor, "HeartbeatIntervalMs", options.HeartbeatInterval),
            HeartbeatTimeout = Milliseconds(supervisor, "HeartbeatTimeoutMs", options.HeartbeatTimeout),
            FirstHeartbeatTimeout = Milliseconds(supervisor, "FirstHeartbeatTimeoutMs", options.FirstHeartbeatTimeout),
        };
        if (options.HeartbeatTimeout > TimeSpan.Zero && options.HeartbeatInterval * 2 > options.HeartbeatTimeout)
        {
            throw new InvalidOperationException("Supervisor:HeartbeatTimeoutMs must be at least twice Supervisor:HeartbeatIntervalMs, or 0 to turn heartbeats off.");
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<WorkerSupervisor>();
        // Longer than the workers' own grace period, so they are stopped, not abandoned.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        // Checked here, before any worker starts: a missing key in production stops the service
        // with one clear message instead of N workers dying in a loop. A throwaway key is made
        // once and inherited by every worker (environment, not command line: ps shows arguments).
        var keys = SigningKeysSetup.Resolve(builder.Configuration, builder.Environment);
        if (keys.IsEphemeral)
        {
            Environment.SetEnvironmentVariable(SigningKeysSetup.CurrentKeyVariable, Convert.ToBase64String(keys.Current.Secret));
            Environment.SetEnvironmentVariable(SigningKeysSetup.CurrentKeyIdVariable, keys.Current.Id);
        }

        var host = builder.Build();
        if (keys.IsEphemeral)
        {
            SigningKeysSetup.LogEphemeralKey(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SupervisorApplication)));
        }

        return host;
    }

    private static TimeSpan Milliseconds(IConfiguration section, string key, TimeSpan fallback) =>
        TimeSpan.FromMilliseconds(section.GetValue(key, fallback.TotalMilliseconds));
}
