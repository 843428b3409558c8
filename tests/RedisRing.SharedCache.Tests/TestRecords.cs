using System.Text;

namespace RedisRing.SharedCache.Tests;

internal static class TestRecords
{
    public static byte[] Key(int i) => Encoding.UTF8.GetBytes($"site:{i}");

    public static byte[] Value(int i, int generation, int length)
    {
        var value = new byte[length];
        new Random((i * 7919) + generation).NextBytes(value);
        return value;
    }

    public static List<CacheRecord> Batch(int count, int generation, int length = 100) =>
        Enumerable.Range(0, count).Select(i => new CacheRecord(Key(i), Value(i, generation, length))).ToList();
}
