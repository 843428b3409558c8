using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.Registrar.Configuration;
using RedisRing.Registrar.Health;
using RedisRing.Registrar.Registration;
using RedisRing.ZooKeeper;

namespace RedisRing.Registrar.Commands;

/// <summary><c>redisring-registrar [run] --redis ... --zookeeper ... --cluster ...</c>: the sidecar.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ILoggerFactory loggerFactory, CancellationToken stop)
    {
        var options = RegistrarOptionsLoader.Load(args, Environment.GetEnvironmentVariable);
        var logger = loggerFactory.CreateLogger("RedisRing.Registrar");
        ZooKeeperClient client;
        try
        {
            client = await ZooKeeperConnection.ConnectAsync(options.ZooKeeper, options.SessionTimeout, options.ClusterCredential, loggerFactory, logger, stop);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        await using (client)
        {
            RegistrationAcls acls;
            try
            {
                var membersFolder = (await client.GetAclAsync(options.Layout.Nodes, stop)).Acl;
                var liveFolder = (await client.GetAclAsync(options.Layout.Live, stop)).Acl;
                acls = new RegistrationAcls(ClusterAcls.MemberAclFrom(membersFolder), liveFolder);
            }
            catch (NoNodeException)
            {
                await Console.Error.WriteLineAsync($"redisring-registrar: {options.Layout.Nodes} or {options.Layout.Live} does not exist: create the cluster first (redisring-registrar create-cluster)");
                return 2;
            }
            catch (NoAuthException)
            {
                await Console.Error.WriteLineAsync($"redisring-registrar: the credential given is not allowed to read {options.Layout.Nodes}");
                return 2;
            }

            try
            {
                // A cluster created by an earlier version has no repair/ folders: the proxies'
                // repairer needs them and cannot create them itself.
                await ClusterAdmin.EnsureRepairFoldersAsync(client, options.Layout, stop);
            }
            catch (ZooKeeperException e)
            {
                logger.LogWarning("Could not create {Repair}: {Error}; warm-ups cannot run until it exists", options.Layout.Repair, e.Message);
            }

            logger.LogInformation("Registrar for Redis {Redis} (announced as {Advertise}) in cluster {Cluster}", options.Redis, options.Advertise, options.Layout.Cluster);
            await using var probe = new RedisProbe(options.Redis, options.RedisPassword, options.CheckTimeout);
            var registrar = new NodeRegistrar(options, client, acls, probe, loggerFactory, TimeProvider.System);
            Admin.RegistrarAdminServer? adminServer = null;
            if (options.AdminListen is { } adminListen)
            {
                try
                {
                    adminServer = await Admin.RegistrarAdminServer.StartAsync(adminListen, registrar.Status, client, loggerFactory);
                    logger.LogInformation("Admin port on http://{Endpoint}/ (metrics, healthz)", adminListen);
                }
                catch (IOException e)
                {
                    logger.LogCritical("Cannot listen on the admin address {Endpoint}: {Message}", adminListen, e.Message);
                    return 1;
                }
            }

            await using var admin = adminServer;

            await registrar.RunAsync(stop);
            await client.CloseAsync(CancellationToken.None);
        }

        logger.LogInformation("Stopped");
        return 0;
    }
}
