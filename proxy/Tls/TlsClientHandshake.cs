using System.ComponentModel;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Tls;

/// <summary>
/// The server side of a client's TLS handshake on an accepted socket, bounded by the handshake
/// timeout: a client that sends nothing, half a handshake, a malformed ClientHello or plain RESP,
/// or no valid certificate where one is required, is closed and logged (never a session, never
/// an error beyond this connection). Handshakes run outside the epoll loop, on SslStream over
/// the managed socket layer; plain clients never come here.
/// </summary>
internal sealed partial class TlsClientHandshake(TlsOptions options, ServerCertificateSource certificates, TimeProvider time, ILogger logger)
{
    /// <summary>The connection once authenticated; null when the handshake failed (the socket is then closed).</summary>
    public async Task<IConnection?> RunAsync(Socket socket, string remote, PipeOptions sendOptions, PipeOptions receiveOptions, CancellationToken cancellationToken)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        var sslOptions = certificates.HandshakeOptions(out var credentials);
        string? rejected = null;
        if (options.AuthClients != TlsAuthClients.No)
        {
            sslOptions.CertificateChainPolicy = CertificateChainCheck.Policy(credentials.Authorities!, CertificateChainCheck.ClientAuthentication);
            sslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                rejected = certificate is null
                    ? (options.AuthClients == TlsAuthClients.Yes ? "no client certificate" : null)
                    : CertificateChainCheck.Reason(errors, chain);
                return rejected is null;
            };
        }

        // Closing the socket is what surely ends a handshake stuck in a read, whatever the
        // stream makes of the token.
        using var timeout = new CancellationTokenSource(options.HandshakeTimeout, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        await using var abort = stop.Token.Register(socket.Dispose);
        try
        {
            await stream.AuthenticateAsServerAsync(sslOptions, stop.Token);
            LogAccepted(logger, remote, stream.SslProtocol, stream.RemoteCertificate?.Subject ?? "none");
            return new TlsStreamConnection(stream, socket, sendOptions, receiveOptions);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or Win32Exception or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            if (timeout.IsCancellationRequested)
            {
                LogTimedOut(logger, remote, options.HandshakeTimeout.TotalMilliseconds);
            }
            else if (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, remote, rejected ?? Reason(e));
            }

            await stream.DisposeAsync();
            return null;
        }
    }

    /// <summary>The innermost message: "Authentication failed" alone says nothing of a plain-text client.</summary>
    private static string Reason(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        return e.Message;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "TLS client {Address}: {Protocol}, client certificate {Subject}")]
    private static partial void LogAccepted(ILogger logger, string address, SslProtocols protocol, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS client {Address}: handshake failed, connection closed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string address, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS client {Address}: no handshake within {Milliseconds} ms of connecting; connection closed")]
    private static partial void LogTimedOut(ILogger logger, string address, double milliseconds);
}
