using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.Tls;

/// <summary>
/// The proxy's certificate, key and CA file, loaded at start (a bad file stops the proxy) and
/// read again every <see cref="CheckPeriod"/>: when their text changed and loads as a matching
/// set, new handshakes use the new set; when it does not (a half-replaced pair, say), the last
/// good set stays in service and the failure is logged once per version of the files. Comparing
/// the contents, not the times, sees a replacement however soon it follows the last one.
/// </summary>
internal sealed partial class ServerCertificateSource
{
    private readonly TlsOptions _options;
    private readonly ILogger _logger;
    private string? _lastFailure;
    private string? _lastFailureMessage;

    public ServerCertificateSource(TlsOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        Current = Load(ReadFiles());
    }

    public static TimeSpan CheckPeriod { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The set new handshakes use; swapped whole by <see cref="CheckForChanges"/>.</summary>
    public ServerCredentials Current { get; private set; }

    /// <summary>Reloads the files if their text changed; the old set stays when it does not load.</summary>
    public void CheckForChanges()
    {
        try
        {
            var files = ReadFiles();
            if (files == Current.FileContents || files == _lastFailure)
            {
                return;
            }

            try
            {
                Current = Load(files);
                _lastFailure = null;
                _lastFailureMessage = null;
                LogReloaded(_logger, Current.Certificate.Subject, Current.Certificate.Thumbprint, Current.Certificate.NotAfter);
            }
            catch (ConfigurationException)
            {
                _lastFailure = files;
                throw;
            }
        }
        catch (ConfigurationException e) when (e.Message != _lastFailureMessage)
        {
            // Logged once: a file missing while it is replaced shows here each second until it is back.
            _lastFailureMessage = e.Message;
            LogReloadFailed(_logger, e.Message);
        }
        catch (ConfigurationException)
        {
        }
    }

    /// <summary>The options of one handshake, on the set in service now, and that set.</summary>
    public SslServerAuthenticationOptions HandshakeOptions(out ServerCredentials credentials)
    {
        credentials = Current;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = credentials.Context,
            ClientCertificateRequired = _options.AuthClients != TlsAuthClients.No,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
    }

    private string ReadFiles() =>
        // PEM text holds no NUL: it separates the files.
        string.Join('\0', new[] { _options.CertFile!, _options.KeyFile!, _options.CaCertFile }.Select(f => f is null ? "" : PemFiles.Read(f)));

    private ServerCredentials Load(string files)
    {
        var parts = files.Split('\0');
        var certificate = PemFiles.LoadCertificate(parts[0], parts[1], _options.CertFile!, _options.KeyFile!, out var intermediates);
        var authorities = _options.CaCertFile is { } caFile ? PemFiles.LoadAuthorities(parts[2], caFile) : null;
        var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
        return new ServerCredentials(certificate, context, authorities, files);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS certificate loaded: {Subject}, thumbprint {Thumbprint}, valid until {NotAfter:u}; new connections use it")]
    private static partial void LogReloaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS files changed but cannot be loaded; new connections keep the previous certificate: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
