using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RedisRing.Proxy.Configuration;

namespace RedisRing.Proxy.Tls;

/// <summary>Reads certificates and keys in PEM, as Redis's tls-*-file settings name them.</summary>
internal static class PemFiles
{
    /// <summary>
    /// The first certificate of <paramref name="certPem"/> (any further ones are its
    /// intermediates, returned in <paramref name="intermediates"/>) with the private key of
    /// <paramref name="keyPem"/>, which must match it. The file names are for messages.
    /// </summary>
    public static X509Certificate2 LoadCertificate(string certPem, string keyPem, string certFile, string keyFile, out X509Certificate2Collection intermediates)
    {
        try
        {
            var certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
            var all = new X509Certificate2Collection();
            all.ImportFromPem(certPem);
            intermediates = [.. all.Skip(1)];
            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ConfigurationException($"cannot load the certificate {certFile} with the key {keyFile}: {e.Message}");
        }
    }

    /// <summary>Every certificate of <paramref name="caPem"/>; at least one.</summary>
    public static X509Certificate2Collection LoadAuthorities(string caPem, string caFile)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(caPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ConfigurationException($"cannot load the CA certificates {caFile}: {e.Message}");
        }

        return authorities.Count > 0 ? authorities : throw new ConfigurationException($"{caFile} holds no PEM certificate");
    }

    /// <summary>A file's text; a file that cannot be read is a configuration error naming it.</summary>
    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException($"cannot read {path}: {e.Message}");
        }
    }
}
