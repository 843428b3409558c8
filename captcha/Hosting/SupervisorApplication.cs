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
        options = options with { MaxQuickExits = builder.Configuration.GetValue("Supervisor:MaxQuickExits", options.MaxQuickExits) };
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
}
