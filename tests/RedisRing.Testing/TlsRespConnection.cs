using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace RedisRing.Testing;

/// <summary>
/// A raw RESP connection over TLS for tests: trusts only the given CA (checking the server's
/// name, 127.0.0.1), optionally shows a client certificate, and tells which certificate the
/// server presented.
/// </summary>
public sealed class TlsRespConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly SslStream _stream;
    private readonly RawReplyReader _reader;

    private TlsRespConnection(TcpClient client, SslStream stream)
    {
        _client = client;
        _stream = stream;
        _reader = new RawReplyReader(stream);
    }

    /// <summary>The thumbprint of the certificate the server showed in the handshake.</summary>
    public string ServerThumbprint => new X509Certificate2(_stream.RemoteCertificate!).Thumbprint;

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Connects and handshakes within <see cref="Timeout"/>; throws when the handshake fails.</summary>
    public static async Task<TlsRespConnection> ConnectAsync(int port, X509Certificate2 authority, X509Certificate2? clientCertificate = null)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            await client.ConnectAsync("127.0.0.1", port, cts.Token);
            var stream = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await stream.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "127.0.0.1",
                    ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustsOnly(authority, certificate, errors),
                },
                cts.Token);
            return new TlsRespConnection(client, stream);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A validation callback's answer: the certificate names the host and chains to <paramref name="authority"/>, and to nothing else.</summary>
    public static bool TrustsOnly(X509Certificate2 authority, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    public async Task<string> CommandAsync(params string[] arguments)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(RawRedis.Encode(arguments), cts.Token);
        await _stream.FlushAsync(cts.Token);
        return await _reader.ReadReplyAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
