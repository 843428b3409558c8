namespace RedisRing.ZooKeeper;

internal static class CreateModeExtensions
{
    public static bool IsSequential(this CreateMode mode) =>
        mode is CreateMode.PersistentSequential or CreateMode.EphemeralSequential or CreateMode.PersistentSequentialWithTtl;

    public static bool IsTtl(this CreateMode mode) =>
        mode is CreateMode.PersistentWithTtl or CreateMode.PersistentSequentialWithTtl;
}
