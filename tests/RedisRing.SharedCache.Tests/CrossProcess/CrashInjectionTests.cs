using System.Diagnostics;
using RedisRing.SharedCache.Reading;
using Xunit.Abstractions;

namespace RedisRing.SharedCache.Tests.CrossProcess;

[Collection(CrossProcessCollection.Name)]
public sealed class CrashInjectionTests(ITestOutputHelper output) : IDisposable
{
    private const int StableKeys = 200;
    private readonly TempCache _cache = new();

    [Fact]
    public async Task Readers_keep_serving_complete_records_while_loaders_are_killed_and_replaced_many_times()
    {
        var random = new Random();
        var first = StressHostProcess.Start("load", _cache.Path, TimeSpan.FromMinutes(2), output);
        await first.WaitForOutputAsync("loader: ready", TimeSpan.FromSeconds(30));
        var readers = new[]
        {
            StressHostProcess.Start("read", _cache.Path, TimeSpan.FromSeconds(12), output),
            StressHostProcess.Start("read", _cache.Path, TimeSpan.FromSeconds(12), output),
        };
        var loaders = new List<StressHostProcess> { first };
        var kills = 0;
        try
        {
            // Standby loaders are always started and waiting for the lock, so a kill is followed by
            // a takeover at once (process start-up on two busy cores takes longer than a takeover).
            var standby = new List<StressHostProcess>();
            var current = first;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(9) && kills < 20)
            {
                while (standby.Count < 3)
                {
                    var process = StressHostProcess.Start("load", _cache.Path, TimeSpan.FromMinutes(2), output);
                    standby.Add(process);
                    loaders.Add(process);
                }

                await Task.Delay(random.Next(0, 250));
                current.Kill();
                kills++;

                // Some standby must get the lock: the kernel released the dead one's flock. Some
                // loaders are killed while verifying the file they found or writing their first batch.
                var early = random.Next(3) == 0;
                current = await WaitForAnyAsync(standby, early ? "loader: locked" : "loader: ready");
                standby.Remove(current);
            }

            current.Kill();
            kills++;
            foreach (var reader in readers)
            {
                Assert.Equal(0, await reader.WaitForExitAsync(TimeSpan.FromSeconds(60)));
                Assert.Equal(0, reader.Counter("torn"));
                Assert.Equal(0, reader.Counter("missing"));
            }
        }
        finally
        {
            foreach (var process in readers.Concat(loaders))
            {
                await process.DisposeAsync();
            }
        }

        output.WriteLine($"{kills} loaders killed with SIGKILL");
        // About 20 on an idle two-core machine; process start-up bounds it when the machine is busy.
        Assert.True(kills >= 5, $"only {kills} kills");

        // After the last kill, with no loader at all, a reader still finds every stable record.
        using (var reader = SharedCacheReader.Open(_cache.Options))
        {
            for (var i = 0; i < StableKeys; i++)
            {
                Assert.NotNull(reader.Get($"stable:{i}"));
            }
        }

        // And a new loader takes over and finishes cleanly.
        await using var last = StressHostProcess.Start("load", _cache.Path, TimeSpan.FromSeconds(1), output);
        Assert.Equal(0, await last.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private static async Task<StressHostProcess> WaitForAnyAsync(List<StressHostProcess> processes, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var done = processes.FirstOrDefault(p => p.ReadLog().Contains(text, StringComparison.Ordinal));
            if (done is not null)
            {
                return done;
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"no standby loader printed '{text}' within 30 s");
    }

    public void Dispose() => _cache.Dispose();
}
