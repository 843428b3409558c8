namespace RedisRing.Testing;

/// <summary>Finds the repository and the build output of its executables from a test assembly.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder that holds RedisRing.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug: the configuration the running test assembly was built with.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    /// <summary>The path of a built project's main dll, e.g. ("proxy", "redisring-proxy").</summary>
    public static string BuiltDll(string projectFolder, string assemblyName)
    {
        var path = Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", assemblyName + ".dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: build the solution first (scripts/test.sh does).", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RedisRing.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RedisRing.slnx not found above " + AppContext.BaseDirectory);
    }
}
