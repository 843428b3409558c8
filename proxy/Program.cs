using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Handlers;
using RedisRing.Proxy.RingSources;
using RedisRing.Proxy.Routing;
using RedisRing.Proxy.Server;
using RedisRing.Ring;

namespace RedisRing.Proxy;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // On x86-64 Linux client and backend sockets run on the proxy's own edge-triggered epoll
        // loop (Transport/EpollLoop.cs); the two settings below shape the managed socket layer,
        // which then only accepts connections, and which carries all traffic elsewhere or with
        // REDISRING_SOCKETS=managed.
        // Run socket completions on the epoll threads instead of queueing each one to the thread
        // pool: the proxy never blocks in a completion, and a thread hop per receive roughly
        // doubles its CPU cost per request. Read once, when the first socket is created, so it
        // must be set before any. An explicit setting in the environment wins.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        // One epoll thread does all the proxy's socket work, like twemproxy's event loop: the
        // commands of every client woken in one pass are queued before the backends' replies
        // release the next send (BackendConnection.Flush), so backend sends batch better than
        // with a thread per core competing for the same connections. Measured at -P 1 it is both
        // cheaper per request and faster (docs/benchmarks.md); an explicit setting wins.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", "1");
        }

        ProxyOptions options;
        try
        {
            options = OptionsLoader.Load(args);
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync("redisring-proxy: " + e.Message);
            return 2;
        }

        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("REDISRING_LOG_LEVEL"), ignoreCase: true, out var parsed) ? parsed : LogLevel.Information;
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            }));
        var logger = loggerFactory.CreateLogger("RedisRing.Proxy");

        // The one clock of the proxy: every timeout, back-off, idle check and time stamp reads it
        // (the core tests pass a fake one).
        var time = TimeProvider.System;

        // The table starts empty: a ring source installs the first one (at once for a static
        // node list; with ZooKeeper once the first membership snapshot is in).
        var routing = new CurrentRoutingTable(RoutingTable.Empty(new RingOptions { Replicas = options.Replicas, HashTag = options.HashTag }, time));
        IBackendConnector? nodeConnector = null;
        if (options.Tls.Nodes)
        {
            var tlsConnector = new Tls.TlsBackendConnector(options.Tls);
            try
            {
                tlsConnector.CheckFiles();
            }
            catch (ConfigurationException e)
            {
                await Console.Error.WriteLineAsync("redisring-proxy: " + e.Message);
                return 2;
            }

            nodeConnector = tlsConnector;
        }

        var backends = new BackendNodeFactory(options, routing, loggerFactory, time, nodeConnector);
        // The admin port's metrics (proxy/Admin) exist only when it is on: every node gets its
        // latency histogram as it is created, before the ring source creates the first ones.
        var metrics = options.Admin.Listen is null ? null : new Admin.ProxyMetrics();
        backends.Created = metrics is null ? null : metrics.AttachNode;
        IRingSource ringSource;
        ZooKeeperRingSource? zooKeeperSource = null;
        StaticRingSource? staticSource = null;
        if (options.ZooKeeper is { } zookeeper)
        {
            // Serve once the first membership snapshot is in (or ZooKeeper stayed unreachable for
            // a session timeout: the proxy then answers CLUSTERDOWN until it is, rather than
            // refusing connections).
            zooKeeperSource = ZooKeeperRingSource.Start(options, zookeeper, routing, backends, loggerFactory);
            ringSource = zooKeeperSource;
            await Task.WhenAny(zooKeeperSource.FirstRing, Task.Delay(zookeeper.SessionTimeout));
        }
        else
        {
            try
            {
                staticSource = StaticRingSource.Start(options, routing, backends, loggerFactory);
                ringSource = staticSource;
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync("redisring-proxy: " + e.Message);
                return 2;
            }
        }

        var context = new ProxyContext(options, routing, ringSource, loggerFactory, time);

        // Loads the TLS files (the proxy's certificate and key, the CA file): a bad one stops the
        // proxy here, before it accepts anyone.
        ProxyServer server;
        try
        {
            server = new ProxyServer(context);
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync("redisring-proxy: " + e.Message);
            return 2;
        }

        // Give every node one chance to connect before accepting clients, so that a proxy that
        // accepts connections is ready to serve; unreachable nodes keep retrying in the background.
        var initial = routing.Value;
        await Task.WhenAny(Task.WhenAll(initial.Backends.Select(n => n.WaitForRecoveryAsync())), Task.Delay(options.ConnectTimeout * 2));
        logger.LogInformation("Ring of {Count} nodes, {Replicas} copies per key: {Nodes}", initial.Backends.Count, initial.Options.Replicas,
            string.Join(", ", initial.Backends.Select((n, i) => $"{n.Name}={n.State}/{(ringSource.IsStatic ? "static" : initial.NodeStates[i].ToJson())}")));

        Admin.AdminServer? admin = null;
        if (metrics is not null && options.Admin.Listen is { } adminListen)
        {
            var events = new Admin.MembershipEventLog(time);
            metrics.Attach(context, events);
            try
            {
                admin = await Admin.AdminServer.StartAsync(adminListen, context, metrics, events);
                logger.LogInformation("Admin port on http://{Endpoint}/ (metrics, healthz, api/ring, dashboard)", admin.BoundEndpoint);
            }
            catch (IOException e)
            {
                logger.LogCritical("Cannot listen on the admin address {Endpoint}: {Message}", adminListen, e.Message);
                return 1;
            }
        }

        await using var adminServer = admin;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Shutdown.Token);
        // SIGHUP reloads the settings that can change while the proxy runs (docs/configuration.md, "Reloading").
        var reloader = new Admin.ConfigReloader(args, context, logger);
        using var sighup = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            _ = Task.Run(reloader.Reload);
        });
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });

        try
        {
            await server.RunAsync(stop.Token);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            logger.LogCritical("Cannot listen on {Endpoint} (TLS port {TlsPort}): {Message}", options.Listen, options.Tls.Port, e.Message);
            return 1;
        }

        if (zooKeeperSource is not null)
        {
            // Closing the session removes this proxy's znode under proxies/ at once.
            await zooKeeperSource.DisposeAsync();
        }

        if (staticSource is not null)
        {
            // Writes what it knows about the nodes one last time.
            await staticSource.DisposeAsync();
        }

        logger.LogInformation("Stopped");
        return 0;
    }
}
