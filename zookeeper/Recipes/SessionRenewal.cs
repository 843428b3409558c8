namespace RedisRing.ZooKeeper.Recipes;

internal static class SessionRenewal
{
    /// <summary>
    /// Recipes exist to keep something alive across sessions, so when the client reports Expired
    /// they ask for a new session (every recipe may ask: the client starts only one).
    /// </summary>
    public static async Task EnsureSessionAsync(ZooKeeperClient client, CancellationToken cancellationToken)
    {
        if (client.State == ZooKeeperState.Expired)
        {
            await client.RenewSessionAsync(cancellationToken);
        }
    }
}
