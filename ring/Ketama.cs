using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace RedisRing.Ring;

/// <summary>
/// twemproxy 0.5's ketama continuum arithmetic: how many points a server gets, and where they are.
/// </summary>
internal static class Ketama
{
    /// <summary>Points per server at equal weights (KETAMA_POINTS_PER_SERVER).</summary>
    public const int PointsPerServer = 160;

    /// <summary>One md5 digest gives four 32-bit points.</summary>
    public const int PointsPerHash = 4;

    /// <summary>twemproxy formats "name-index" into a 273-byte buffer, so at most 272 bytes are hashed.</summary>
    public const int MaxHashedNameBytes = 272;

    /// <summary>
    /// The number of continuum points of a server: floorf(pct * 160 / 4 * live + 1e-10) * 4, with
    /// pct and the product in single precision as in the C code. Single precision matters: for
    /// some weights the float product lands just below an integer and the server loses 4 points.
    /// </summary>
    public static int PointCount(int weight, long totalWeight, int liveServers)
    {
        var pct = (float)weight / (float)totalWeight;
        var share = (float)(pct * (float)PointsPerServer);
        share = (float)(share / (float)PointsPerHash);
        share = (float)(share * (float)liveServers);
        // The C code adds a double constant, which promotes the sum to double before floorf's
        // float argument rounds it back.
        var nudged = (float)((double)share + 0.0000000001);
        return (int)(MathF.Floor(nudged) * PointsPerHash);
    }

    /// <summary>
    /// Writes the four points of digest number <paramref name="hashIndex"/> of a server:
    /// md5("name-hashIndex"), read as four little-endian 32-bit words.
    /// </summary>
    public static void HashPoints(ReadOnlySpan<byte> name, int hashIndex, Span<uint> points)
    {
        // Bytes past the 272nd are cut off anyway, so a longer name never needs copying whole.
        var kept = Math.Min(name.Length, MaxHashedNameBytes);
        Span<byte> text = stackalloc byte[MaxHashedNameBytes + 12];
        name[..kept].CopyTo(text);
        text[kept] = (byte)'-';
        ((uint)hashIndex).TryFormat(text[(kept + 1)..], out var digits, default, CultureInfo.InvariantCulture);
        var length = Math.Min(kept + 1 + digits, MaxHashedNameBytes);

        Span<byte> digest = stackalloc byte[MD5.HashSizeInBytes];
        // MD5 is what ketama specifies for placement; it is not used for security here.
#pragma warning disable CA5351
        MD5.HashData(text[..length], digest);
#pragma warning restore CA5351
        for (var x = 0; x < PointsPerHash; x++)
        {
            points[x] = BinaryPrimitives.ReadUInt32LittleEndian(digest[(x * 4)..]);
        }
    }
}
