using System.IO.Compression;
using System.IO.Hashing;
using RedisRing.Captcha.Images;

namespace RedisRing.Captcha.Tests.Images;

public sealed class StoredZlibTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(200_001)]
    public void Dotnets_zlib_inflates_the_stream_back_to_the_data_and_accepts_its_checksum(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var stream = new byte[StoredZlib.LengthFor(length)];

        StoredZlib.Write(data, stream);

        // ZLibStream verifies the Adler-32 trailer: a wrong checksum throws InvalidDataException.
        using var inflater = new ZLibStream(new MemoryStream(stream), CompressionMode.Decompress);
        var inflated = new MemoryStream();
        inflater.CopyTo(inflated);
        Assert.Equal(data, inflated.ToArray());
    }

    [Fact]
    public void The_checksum_matches_the_rfc_1950_example()
    {
        // Adler-32 of "Wikipedia", the worked example commonly used for the algorithm.
        Assert.Equal(0x11E60398u, Adler32.HashToUInt32("Wikipedia"u8));
        Assert.Equal(1u, Adler32.HashToUInt32([]));
    }

    [Fact]
    public void A_destination_too_small_for_the_stream_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StoredZlib.Write(new byte[10], new byte[StoredZlib.LengthFor(10) - 1]));
    }
}
