using Microsoft.Extensions.Logging;
using RedisRing.Membership;
using RedisRing.ZooKeeper;

namespace RedisRing.Registrar.Commands;

/// <summary>Connects to ZooKeeper (retrying until it answers or the caller stops) and authenticates.</summary>
internal static class ZooKeeperConnection
{
    public static async Task<ZooKeeperClient> ConnectAsync(string connectString, TimeSpan sessionTimeout, DigestCredential credential,
        ILoggerFactory loggerFactory, ILogger logger, CancellationToken cancellationToken)
    {
        while (true)
        {
            ZooKeeperClient? client = null;
            try
            {
                client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
                {
                    ConnectString = connectString,
                    SessionTimeout = sessionTimeout,
                    LoggerFactory = loggerFactory,
                }, cancellationToken);
                await credential.AuthenticateAsync(client, cancellationToken);
                return client;
            }
            catch (Exception e) when (e is ZooKeeperException or IOException or System.Net.Sockets.SocketException or TimeoutException && e is not AuthFailedException)
            {
                if (client is not null)
                {
                    await client.DisposeAsync();
                }

                logger.LogWarning("ZooKeeper {ConnectString} is not reachable ({Reason}); retrying", connectString, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }
}
