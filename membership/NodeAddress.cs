using System.Globalization;

namespace RedisRing.Membership;

/// <summary>A Redis node's <c>host:port</c>, which is also its znode name under <c>nodes/</c>.</summary>
public sealed record NodeAddress(string Host, int Port)
{
    public override string ToString() => Host + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses <c>host:port</c>: a host of letters, digits, '.', '-' and '_' (a name or an IPv4
    /// address; no IPv6, whose colons would be ambiguous in a znode name) and a port in 1..65535.
    /// </summary>
    public static bool TryParse(string? text, out NodeAddress address, out string error)
    {
        address = null!;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty address";
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{text}' is not host:port";
            return false;
        }

        var host = text[..colon];
        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                error = $"'{text}': the host has a character other than letters, digits, '.', '-', '_'";
                return false;
            }
        }

        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{text}': the port is not a number in 1..65535";
            return false;
        }

        address = new NodeAddress(host, port);
        error = string.Empty;
        return true;
    }

    public static NodeAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);
}
