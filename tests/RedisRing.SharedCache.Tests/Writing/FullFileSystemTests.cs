using System.Diagnostics;
using RedisRing.SharedCache.Reading;
using RedisRing.SharedCache.Writing;
using Xunit.Abstractions;

namespace RedisRing.SharedCache.Tests.Writing;

/// <summary>
/// A full /dev/shm, for real: a 1 MiB tmpfs mounted for the test (root only; the tests run as root
/// in this repository's environment, elsewhere they return early and say so). Cache files used to be
/// sparse, so a load into a file larger than the free memory "succeeded" and the first write to a
/// page that could not be backed killed the loader with SIGBUS; now the space is reserved when the
/// file is created, and a full file system is an exception at load time.
/// </summary>
public sealed class FullFileSystemTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "redisring-cache-tmpfs-" + Guid.NewGuid().ToString("N"));
    private bool _mounted;

    [Fact]
    public void A_first_load_that_does_not_fit_is_an_error_and_leaves_no_file()
    {
        if (!Mount())
        {
            return;
        }

        var options = new SharedCacheOptions { Path = Path.Combine(_mount, "settings.cache"), InitialArenaBytes = 4L << 20 };
        using var writer = SharedCacheWriter.Acquire(options);

        var full = Assert.Throws<SharedCacheFullException>(() => writer.ReplaceAll(TestRecords.Batch(10, generation: 1)));
        output.WriteLine(full.Message);
        Assert.Contains("No room", full.Message, StringComparison.Ordinal);
        Assert.Equal([options.Path + ".lock"], Directory.GetFileSystemEntries(_mount));
    }

    [Fact]
    public void Growth_that_does_not_fit_is_an_error_and_readers_keep_the_current_file()
    {
        if (!Mount())
        {
            return;
        }

        var options = new SharedCacheOptions { Path = Path.Combine(_mount, "settings.cache"), InitialArenaBytes = 256 << 10 };
        using var writer = SharedCacheWriter.Acquire(options);
        writer.ReplaceAll(TestRecords.Batch(100, generation: 1));
        using var reader = SharedCacheReader.Open(options);

        // 2000 records of 400 bytes need 1 MiB of 512-byte blocks, and a new file twice that: no room.
        Assert.Throws<SharedCacheFullException>(() => writer.ReplaceAll(TestRecords.Batch(2000, generation: 2, length: 400)));

        Assert.Equal(TestRecords.Value(7, 1, 100), reader.Get(TestRecords.Key(7)));
        Assert.Equal(100, reader.GetMetrics().RecordCount);
        // The loader goes on: a batch that fits is loaded into the file it has.
        writer.ReplaceAll(TestRecords.Batch(100, generation: 3));
        Assert.Equal(TestRecords.Value(7, 3, 100), reader.Get(TestRecords.Key(7)));
        Assert.Equal(3, Directory.GetFileSystemEntries(_mount).Length); // link, lock, one data file
    }

    private bool Mount()
    {
        Directory.CreateDirectory(_mount);
        // mode=0700: the mount's root is the cache directory, private as the cache requires.
        _mounted = Run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", _mount) == 0;
        // The test machines run as root (scripts/test.sh installs Debian packages): a mount that
        // fails is a failure, not a silent pass that tests nothing.
        Assert.True(_mounted, "mount -t tmpfs failed: this test needs root to mount a 1 MiB tmpfs");
        return _mounted;
    }

    private static int Run(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    public void Dispose()
    {
        if (_mounted)
        {
            Run("umount", _mount);
        }

        try
        {
            Directory.Delete(_mount, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
