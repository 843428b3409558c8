using System.Text;

namespace RedisRing.Ring.Tests;

/// <summary>The keys written through nutcracker: plain, hash-tagged, bytes &gt;= 0x80, tiny and long.</summary>
internal static class NutcrackerKeys
{
    public static List<byte[]> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var keys = new List<byte[]>
        {
            Array.Empty<byte>(), "a"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "{}"u8.ToArray(), "{a}"u8.ToArray(),
            "foo{}{bar}"u8.ToArray(), "foo{{bar}}zap"u8.ToArray(), "{user1000}.following"u8.ToArray(),
            new byte[] { 0x80 }, new byte[] { 0xff }, new byte[] { 0xfe, 0x00, 0x7f, 0x80 }, "k\u00e9y"u8.ToArray(),
            Encoding.ASCII.GetBytes(new string('x', 3000)),
        };
        while (keys.Count < count)
        {
            switch (keys.Count % 5)
            {
                case 0:
                    keys.Add(Encoding.ASCII.GetBytes($"key:{keys.Count}:{random.Next()}"));
                    break;
                case 1:
                    keys.Add(Encoding.ASCII.GetBytes($"{{user{random.Next(50)}}}.field{keys.Count}"));
                    break;
                case 2:
                    // Arbitrary bytes, most of them >= 0x80 half the time.
                    var bytes = new byte[random.Next(1, 40)];
                    random.NextBytes(bytes);
                    keys.Add(bytes);
                    break;
                case 3:
                    keys.Add(Encoding.ASCII.GetBytes(new string((char)('a' + random.Next(26)), random.Next(1, 3)) + keys.Count));
                    break;
                default:
                    keys.Add(Encoding.ASCII.GetBytes($"session:{Guid.NewGuid():N}{new string('p', random.Next(200))}"));
                    break;
            }
        }

        return [.. keys.Distinct(ByteArrayComparer.Instance)];
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
