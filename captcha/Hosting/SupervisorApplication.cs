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
        return builder.Build();
    }
}
