namespace RedisRing.ZooKeeper.Recipes;

/// <summary>The cached folder changed: the snapshot before and after.</summary>
public sealed class ChildrenChangedEventArgs(ChildrenSnapshot previous, ChildrenSnapshot current) : EventArgs
{
    public ChildrenSnapshot Previous { get; } = previous;

    public ChildrenSnapshot Current { get; } = current;
}
