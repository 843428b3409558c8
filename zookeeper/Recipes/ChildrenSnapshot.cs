using System.Collections.Immutable;

namespace RedisRing.ZooKeeper.Recipes;

/// <summary>An immutable view of a folder's children and their data, replaced whole on every change.</summary>
public sealed class ChildrenSnapshot
{
    public static ChildrenSnapshot Empty { get; } = new(ImmutableSortedDictionary<string, ChildData>.Empty.WithComparers(StringComparer.Ordinal), folderExists: false);

    internal ChildrenSnapshot(ImmutableSortedDictionary<string, ChildData> children, bool folderExists)
    {
        Children = children;
        FolderExists = folderExists;
    }

    /// <summary>Children by name, in ordinal order.</summary>
    public ImmutableSortedDictionary<string, ChildData> Children { get; }

    /// <summary>False while the watched folder does not exist (the cache then waits for it).</summary>
    public bool FolderExists { get; }

    /// <summary>Same children with the same data versions.</summary>
    public bool SameAs(ChildrenSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (FolderExists != other.FolderExists || Children.Count != other.Children.Count)
        {
            return false;
        }

        foreach (var (name, child) in Children)
        {
            if (!other.Children.TryGetValue(name, out var theirs) || theirs.Stat.ModifiedZxid != child.Stat.ModifiedZxid || theirs.Stat.CreatedZxid != child.Stat.CreatedZxid)
            {
                return false;
            }
        }

        return true;
    }
}
