namespace RedisRing.ZooKeeper;

/// <summary>Path rules of the server (PathUtils.validatePath), checked before a request is sent.</summary>
public static class ZooKeeperPath
{
    /// <summary>Throws <see cref="InvalidPathException"/> unless <paramref name="path"/> is a valid znode path.</summary>
    /// <param name="path">The path.</param>
    /// <param name="sequential">A sequential create may end in '/': the server appends the number.</param>
    public static void Validate(string? path, bool sequential = false)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new InvalidPathException(path, "the path is empty");
        }

        if (path[0] != '/')
        {
            throw new InvalidPathException(path, "the path must start with /");
        }

        if (path.Length == 1)
        {
            return;
        }

        if (path[^1] == '/' && !sequential)
        {
            throw new InvalidPathException(path, "the path must not end with /");
        }

        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/')
            {
                CheckCharacter(path, path[i]);
                continue;
            }

            var segment = path.AsSpan(segmentStart, i - segmentStart);
            var isLast = i == path.Length;
            if (segment.IsEmpty && !(isLast && sequential))
            {
                throw new InvalidPathException(path, "empty node name");
            }

            if (segment is "." or "..")
            {
                throw new InvalidPathException(path, "relative paths are not allowed");
            }

            segmentStart = i + 1;
        }
    }

    /// <summary>The parent of a path ("/" for top-level nodes).</summary>
    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    /// <summary>Joins a parent path and a child name.</summary>
    public static string Combine(string parent, string child) => parent == "/" ? "/" + child : parent + "/" + child;

    private static void CheckCharacter(string path, char c)
    {
        if (c == '\0' || (c > '\u0000' && c <= '\u001f') || (c >= '\u007f' && c <= '\u009f') ||
            (c >= '\ud800' && c <= '\uf8ff') || c >= '\ufff0')
        {
            throw new InvalidPathException(path, $"invalid character U+{(int)c:X4}");
        }
    }
}
