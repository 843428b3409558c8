namespace RedisRing.SharedCache.Writing;

/// <summary>
/// Names on disk. The configured path is a symbolic link to the current data file beside it
/// ("name.&lt;16 hex digits&gt;"); the loader publishes a new file by renaming a new link over it, which
/// is atomic, so a process opening the path gets either the old or the new file, never neither.
/// </summary>
internal static class CacheFiles
{
    public static string DataPath(string linkPath, ulong fileId) => $"{linkPath}.{fileId:x16}";

    public static void Publish(string linkPath, string dataPath, ulong fileId)
    {
        var temporary = $"{linkPath}.link-{fileId:x16}";
        File.Delete(temporary);
        File.CreateSymbolicLink(temporary, Path.GetFileName(dataPath));
        File.Move(temporary, linkPath, overwrite: true);
    }

    /// <summary>
    /// The data file the link points to, or null when there is none (or no link). The loader only
    /// ever links to a name beside the link; a link that leads anywhere else was not made by it.
    /// </summary>
    public static string? CurrentTarget(string linkPath)
    {
        var info = new FileInfo(linkPath);
        if (info.LinkTarget is not { } target)
        {
            return info.Exists ? Path.GetFullPath(linkPath) : null;
        }

        if (target.Contains('/', StringComparison.Ordinal) || target is "." or "..")
        {
            throw new SharedCacheUnsafePathException($"Refusing the shared cache path {linkPath}: it links to {target}, not to a data file beside it.");
        }

        var dataPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(linkPath))!, target);
        return File.Exists(dataPath) || new FileInfo(dataPath).LinkTarget is not null ? dataPath : null;
    }

    /// <summary>Data files and temporary links left beside the link by earlier loaders (not the lock file).</summary>
    public static IEnumerable<string> Leftovers(string linkPath, string? keep)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(linkPath))!;
        var name = Path.GetFileName(linkPath);
        foreach (var path in Directory.EnumerateFiles(directory, name + ".*"))
        {
            var fileName = Path.GetFileName(path);
            if (fileName.Length <= name.Length + 1)
            {
                continue; // "name.*" also matches the link itself.
            }

            var suffix = fileName[(name.Length + 1)..];
            if (suffix.StartsWith("link-", StringComparison.Ordinal))
            {
                suffix = suffix[5..];
            }

            if (suffix.Length == 16 && suffix.All(Uri.IsHexDigit) && !string.Equals(Path.GetFullPath(path), keep, StringComparison.Ordinal))
            {
                yield return path;
            }
        }
    }
}
