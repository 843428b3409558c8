using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using RedisRing.SharedCache.Reading;
using RedisRing.SharedCache.Writing;

namespace RedisRing.SharedCache.Tests.Security;

/// <summary>
/// On a host shared with other users, whoever can create, replace or read the cache's files serves
/// or reads every site's settings: the loader and the readers use only a directory of their own
/// user closed to everyone else, files 0600, and no symbolic link they did not make themselves.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PrivateFilesTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly TempCache _cache = new();

    /// <summary>A cache in a directory that does not exist yet: the loader has to create it.</summary>
    private SharedCacheOptions Nested => _cache.Options with { Path = Path.Combine(_cache.Directory, "private", "settings.cache") };

    [Fact]
    public void The_loader_creates_its_directory_0700_and_every_file_0600_whatever_the_umask()
    {
        var options = Nested;
        using (var writer = SharedCacheWriter.Acquire(options))
        {
            writer.ReplaceAll(TestRecords.Batch(10, generation: 1));
        }

        var directory = Path.GetDirectoryName(options.Path)!;
        Assert.Equal(Private, File.GetUnixFileMode(directory));
        var files = Directory.GetFiles(directory).Where(f => new FileInfo(f).LinkTarget is null).ToList();
        Assert.Equal(2, files.Count); // the lock file and the data file (the published link has no mode of its own)
        foreach (var file in files)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.NotNull(new FileInfo(options.Path).LinkTarget);
        using var reader = SharedCacheReader.Open(options);
        Assert.NotNull(reader.Get(TestRecords.Key(3)));
    }

    [Fact]
    public void A_directory_open_to_others_is_refused_by_the_loader_and_by_readers()
    {
        using (var writer = SharedCacheWriter.Acquire(_cache.Options))
        {
            writer.ReplaceAll(TestRecords.Batch(10, generation: 1));
        }

        File.SetUnixFileMode(_cache.Directory, Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var refused = Assert.Throws<SharedCacheUnsafePathException>(() => SharedCacheWriter.TryAcquire(_cache.Options));
        Assert.Contains(_cache.Directory, refused.Message, StringComparison.Ordinal);
        Assert.Contains("0755", refused.Message, StringComparison.Ordinal);
        Assert.Throws<SharedCacheUnsafePathException>(() => SharedCacheReader.Open(_cache.Options));
    }

    [Fact]
    public void A_directory_of_another_user_is_refused()
    {
        if (Environment.UserName != "root")
        {
            // Only root can give a directory away; as any other user the check is the same comparison.
            return;
        }

        var options = Nested;
        var directory = Path.GetDirectoryName(options.Path)!;
        Directory.CreateDirectory(directory, Private);
        Chown(directory, 65534); // nobody: created first by someone else, mode 0700 or not

        var refused = Assert.Throws<SharedCacheUnsafePathException>(() => SharedCacheWriter.TryAcquire(options));
        Assert.Contains("uid 65534", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public void A_directory_that_is_a_symbolic_link_is_refused()
    {
        var options = Nested;
        Directory.CreateSymbolicLink(Path.GetDirectoryName(options.Path)!, _cache.Directory);

        Assert.Throws<SharedCacheUnsafePathException>(() => SharedCacheWriter.TryAcquire(options));
    }

    [Fact]
    public void A_data_file_readable_by_others_is_refused_by_readers_and_by_the_loader()
    {
        using (var writer = SharedCacheWriter.Acquire(_cache.Options))
        {
            writer.ReplaceAll(TestRecords.Batch(10, generation: 1));
        }

        var data = _cache.DataFile;
        File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var refused = Assert.Throws<SharedCacheUnsafePathException>(() => SharedCacheReader.Open(_cache.Options));
        Assert.Contains("0604", refused.Message, StringComparison.Ordinal);

        // Nor does a loader map it: in a private directory only this user or root made it so, and says why.
        Assert.Throws<SharedCacheUnsafePathException>(() => SharedCacheWriter.Acquire(_cache.Options));
    }

    [Fact]
    public void A_published_link_that_leads_out_of_the_directory_is_refused()
    {
        using (var writer = SharedCacheWriter.Acquire(_cache.Options))
        {
            writer.ReplaceAll(TestRecords.Batch(10, generation: 1));
        }

        // Someone who could write here (only this user or root) points the link at a file elsewhere.
        var elsewhere = Path.Combine(Path.GetTempPath(), "redisring-elsewhere-" + Guid.NewGuid().ToString("N"));
        File.Copy(_cache.DataFile, elsewhere);
        try
        {
            File.Delete(_cache.Path);
            File.CreateSymbolicLink(_cache.Path, elsewhere);
            Assert.Throws<SharedCacheUnsafePathException>(() => SharedCacheReader.Open(_cache.Options));
        }
        finally
        {
            File.Delete(elsewhere);
        }
    }

    [Fact]
    public void A_data_file_replaced_by_a_symbolic_link_is_not_followed()
    {
        using (var writer = SharedCacheWriter.Acquire(_cache.Options))
        {
            writer.ReplaceAll(TestRecords.Batch(10, generation: 1));
        }

        var data = _cache.DataFile;
        var copy = data + ".copy";
        File.Move(data, copy);
        File.CreateSymbolicLink(data, copy);

        Assert.Throws<SharedCacheUnsafePathException>(() => SharedCacheReader.Open(_cache.Options));
    }

    [Fact]
    public void A_lock_file_others_can_open_is_refused_so_no_one_else_can_hold_the_lock()
    {
        File.WriteAllBytes(_cache.Path + ".lock", []);
        File.SetUnixFileMode(_cache.Path + ".lock", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var refused = Assert.Throws<SharedCacheUnsafePathException>(() => SharedCacheWriter.TryAcquire(_cache.Options));
        Assert.Contains(".lock", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lock_file_that_is_a_symbolic_link_is_refused()
    {
        var target = Path.Combine(_cache.Directory, "elsewhere");
        File.WriteAllBytes(target, []);
        File.CreateSymbolicLink(_cache.Path + ".lock", target);

        Assert.Throws<SharedCacheUnsafePathException>(() => SharedCacheWriter.TryAcquire(_cache.Options));
    }

    [Fact]
    public void The_default_directory_is_private_to_the_user_not_a_fixed_shared_name()
    {
        var directory = SharedCacheOptions.DefaultDirectory;
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrWhiteSpace(runtime) && Directory.Exists(runtime) && Run("stat", "-c", "%u", runtime).Trim() == Uid())
        {
            Assert.Equal(Path.Combine(runtime, "redisring"), directory);
        }
        else
        {
            Assert.EndsWith("redisring-" + Uid(), directory, StringComparison.Ordinal);
        }

        Assert.Equal(directory, Path.GetDirectoryName(new SharedCacheOptions().Path));
    }

    private static string Uid() => Run("id", "-u").Trim();

    private static void Chown(string path, int uid) => Run("chown", uid.ToString(CultureInfo.InvariantCulture), path);

    private static string Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    public void Dispose() => _cache.Dispose();
}
