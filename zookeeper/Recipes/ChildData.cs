namespace RedisRing.ZooKeeper.Recipes;

/// <summary>One child of a cached folder: its name, data and metadata when it was read.</summary>
public sealed record ChildData(string Name, byte[] Data, Stat Stat);
