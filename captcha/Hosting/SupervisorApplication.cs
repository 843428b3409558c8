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
        builder.Services.AddSingleton(new SupervisorOptions(workers, args));
        builder.Services.AddHostedService<WorkerSupervisor>();
        // Longer than the workers' own grace period, so they are stopped, not abandoned.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder.Build();
    }
}
