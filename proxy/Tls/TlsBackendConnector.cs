using System.ComponentModel;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using RedisRing.Proxy.Backends;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Transport;

namespace RedisRing.Proxy.Tls;

/// <summary>
/// The client side of TLS to the nodes (<c>--node-tls yes</c>): the node's certificate must chain
/// to the CA file and name the address the node is configured under (its IP address or host
/// name); the proxy shows its client certificate to nodes that ask (Redis's tls-auth-clients).
/// The files are read at each connect, so a replaced certificate is used from the next one on.
/// </summary>
internal sealed class TlsBackendConnector(TlsOptions options) : IBackendConnector
{
    /// <summary>Checks that the files load, so that a bad one stops the proxy at start rather than failing every connect.</summary>
    public void CheckFiles() => _ = Credentials();

    /// <summary>
    /// Connects within <paramref name="timeout"/>, then handshakes within the TLS handshake
    /// timeout (a first handshake, with the TLS library still cold, may take a second on a busy
    /// machine); the socket is closed when either fails.
    /// </summary>
    public async Task<IConnection> ConnectAsync(NodeEndpoint endpoint, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = await SocketBackendConnector.ConnectSocketAsync(endpoint, timeout, cancellationToken);
        var host = endpoint.Host;

        // SslStream runs on the managed socket layer, which wants a blocking socket to wrap.
        socket.Blocking = true;
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            X509Certificate2Collection authorities;
            X509Certificate2? certificate;
            try
            {
                (authorities, certificate) = Credentials();
            }
            catch (ConfigurationException e)
            {
                // Checked at start; gone or broken since: the node stays down and is retried.
                throw new IOException(e.Message, e);
            }

            string? rejected = null;
            var sslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ClientCertificates = certificate is null ? null : [certificate],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = CertificateChainCheck.Policy(authorities, CertificateChainCheck.ServerAuthentication),
                RemoteCertificateValidationCallback = (_, _, chain, errors) =>
                {
                    rejected = CertificateChainCheck.Reason(errors, chain);
                    return rejected is null;
                },
            };

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(options.HandshakeTimeout);
            await using var abort = stop.Token.Register(socket.Dispose);
            try
            {
                await stream.AuthenticateAsClientAsync(sslOptions, stop.Token);
            }
            catch (AuthenticationException e)
            {
                // An IOException, as any failed connect is to the node's recovery and probe.
                throw new IOException($"TLS to {host}: {rejected ?? Innermost(e).Message}", e);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or Win32Exception && stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"TLS handshake with {host} took over {options.HandshakeTimeout.TotalMilliseconds} ms");
            }

            return new TlsStreamConnection(stream, socket, BackendConnection.SendOptions, BackendConnection.ReceiveOptions);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }

    private (X509Certificate2Collection Authorities, X509Certificate2? Certificate) Credentials()
    {
        var caFile = options.CaCertFile!;
        var authorities = PemFiles.LoadAuthorities(PemFiles.Read(caFile), caFile);
        if (options.NodeClientPair is not { } pair)
        {
            return (authorities, null);
        }

        var certificate = PemFiles.LoadCertificate(PemFiles.Read(pair.Cert), PemFiles.Read(pair.Key), pair.Cert, pair.Key, out _);
        return (authorities, certificate);
    }
}
