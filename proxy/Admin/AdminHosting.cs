using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RedisRing.Proxy.Admin;

/// <summary>
/// What the admin port's web host gets from the proxy instead of ASP.NET Core's defaults: the
/// proxy's loggers (ASP.NET Core's own messages from warnings up, no line per request), and a
/// lifetime that leaves SIGINT and SIGTERM to the proxy, which stops the admin port itself.
/// </summary>
internal static class AdminHosting
{
    public sealed class ProxyLoggers(ILoggerFactory factory) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

        public void Dispose()
        {
            // The proxy owns the factory.
        }
    }

    public sealed class ProxyLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
