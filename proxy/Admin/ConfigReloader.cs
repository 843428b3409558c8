using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Handlers;

namespace RedisRing.Proxy.Admin;

/// <summary>
/// Reloads the proxy's settings on SIGHUP (docs/configuration.md, "Reloading"): the config file,
/// the environment and the command line are read again exactly as at start, and checked the same
/// way. A file that does not load or check keeps every setting in force and logs why. A good one
/// puts the reloadable settings (<see cref="Reloadable"/>) in force for what comes next (new
/// connections, the next AUTH, the next accept); every other setting keeps its start-up value
/// (the parts that use them took them at start) until a restart.
/// </summary>
internal sealed partial class ConfigReloader(IReadOnlyList<string> args, ProxyContext context, ILogger logger)
{
    /// <summary>The settings a reload changes, as named in the config file.</summary>
    public static readonly IReadOnlyList<string> Reloadable =
    [
        "password", "users", "allowAdminCommands", "maxClients", "maxPipelinePerClient",
        "maxRequestLength", "maxBulkLength", "maxArrayLength", "maxInlineLength",
        "maxUnauthenticatedArrayLength", "maxUnauthenticatedBulkLength",
    ];

    private readonly Lock _sync = new();

    /// <summary>Reads the settings again; true when they loaded and the reloadable ones are in force.</summary>
    public bool Reload()
    {
        lock (_sync)
        {
            ProxyOptions next;
            try
            {
                next = OptionsLoader.Load(args);
            }
            catch (ConfigurationException e)
            {
                LogRejected(logger, e.Message);
                return false;
            }

            var current = context.Options;
            var merged = current with
            {
                Password = next.Password,
                Users = next.Users,
                AllowAdminCommands = next.AllowAdminCommands,
                MaxClients = next.MaxClients,
                MaxPipelinePerClient = next.MaxPipelinePerClient,
                Limits = next.Limits,
                MaxUnauthenticatedArrayLength = next.MaxUnauthenticatedArrayLength,
                MaxUnauthenticatedBulkLength = next.MaxUnauthenticatedBulkLength,
            };
            context.Reload(merged);
            LogReloaded(logger, string.Join(", ", Reloadable));

            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settings not reloaded, those in force are kept: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settings reloaded: {Settings} are in force for new connections and commands; every other setting keeps its start-up value until a restart")]
    private static partial void LogReloaded(ILogger logger, string settings);
}
