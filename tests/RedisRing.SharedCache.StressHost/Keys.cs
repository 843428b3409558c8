using System.Text;

namespace RedisRing.SharedCache.StressHost;

/// <summary>Stable keys are in every generation (a reader must always find them); volatile keys come and go.</summary>
internal static class Keys
{
    public const int Stable = 200;
    public const int Volatile = 100;

    public static byte[] StableKey(int i) => Encoding.UTF8.GetBytes($"stable:{i}");

    public static byte[] VolatileKey(int i) => Encoding.UTF8.GetBytes($"volatile:{i}");
}
