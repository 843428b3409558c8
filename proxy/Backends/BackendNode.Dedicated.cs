namespace RedisRing.Proxy.Backends;

internal sealed partial class BackendNode
{
    /// <summary>
    /// Opens a connection of one client's own to this node (for WATCH, which is state of a Redis
    /// connection and cannot live on the shared one). It is authenticated like the shared one and
    /// checked to reach the same server process (run_id); null when it cannot be opened or the
    /// server is another one. Its failure does not concern the node's health: the node only
    /// tracks its shared connection, so closing this one changes nothing there.
    /// </summary>
    public async Task<BackendConnection?> OpenDedicatedConnectionAsync()
    {
        BackendConnection? connection = null;
        try
        {
            connection = await BackendConnection.ConnectAsync(this, _connector, _time, _options.ConnectTimeout, maxPending: 1024, CancellationToken.None);
            var runId = await HandshakeAsync(connection);
            if (RunId is null || runId != RunId)
            {
                connection.Close("another server process than the shared connection's");
                return null;
            }

            return connection;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            connection?.Close(e.Message);
            return null;
        }
    }
}
