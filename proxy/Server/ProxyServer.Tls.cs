using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Handlers;
using RedisRing.Proxy.Tls;

namespace RedisRing.Proxy.Server;

/// <summary>
/// The TLS listener's side of the server: each accepted socket is handshaken off the accept
/// loop (bounded by the handshake timeout, counted against maxclients meanwhile) and becomes
/// an ordinary session once authenticated. The certificate files are checked for changes from
/// the server's timer.
/// </summary>
internal sealed partial class ProxyServer
{
    private readonly ServerCertificateSource? _certificates;
    private readonly TlsClientHandshake? _tls;
    private int _handshaking;
    private long _lastCertificateCheck;

    /// <summary>Connected clients and TLS handshakes under way have reached maxclients.</summary>
    private bool IsFull => _context.Stats.ConnectedClients + Volatile.Read(ref _handshaking) >= _context.Options.MaxClients;

    private static (ServerCertificateSource?, TlsClientHandshake?) CreateTls(ProxyContext context)
    {
        var options = context.Options.Tls;
        if (options.Port == 0)
        {
            return (null, null);
        }

        var certificates = new ServerCertificateSource(options, context.LoggerFactory.CreateLogger<ServerCertificateSource>());
        return (certificates, new TlsClientHandshake(options, certificates, context.Time, context.LoggerFactory.CreateLogger<TlsClientHandshake>()));
    }

    private void AcceptTls(Socket socket, CancellationToken cancellationToken)
    {
        socket.NoDelay = true;
        if (IsFull)
        {
            // No RESP error: the client expects a ServerHello, not plain text.
            _context.Stats.ConnectionRejected();
            socket.Dispose();
            return;
        }

        Interlocked.Increment(ref _handshaking);
        _ = HandshakeAsync(socket, socket.RemoteEndPoint?.ToString() ?? "?", cancellationToken);
    }

    private async Task HandshakeAsync(Socket socket, string remote, CancellationToken cancellationToken)
    {
        try
        {
            if (await _tls!.RunAsync(socket, remote, s_clientSendOptions, s_clientReceiveOptions, cancellationToken) is { } connection)
            {
                StartSession(connection, remote);
            }
        }
        catch (Exception e)
        {
            socket.Dispose();
            LogHandshakeFailed(_logger, remote, e);
        }
        finally
        {
            Interlocked.Decrement(ref _handshaking);
        }
    }

    private void CheckCertificateFiles(long now)
    {
        if (_certificates is null || _time.GetElapsedTime(_lastCertificateCheck, now) < ServerCertificateSource.CheckPeriod)
        {
            return;
        }

        _lastCertificateCheck = now;
        _certificates.CheckForChanges();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "TLS client {Address}: handshake failed unexpectedly")]
    private static partial void LogHandshakeFailed(ILogger logger, string address, Exception exception);
}
