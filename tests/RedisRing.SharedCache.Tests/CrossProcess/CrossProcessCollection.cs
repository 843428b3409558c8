namespace RedisRing.SharedCache.Tests.CrossProcess;

/// <summary>Tests that start several processes run one at a time: two cores are all there is.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrossProcessCollection
{
    public const string Name = "cross-process";
}
