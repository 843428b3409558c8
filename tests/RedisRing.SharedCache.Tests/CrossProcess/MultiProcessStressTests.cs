using Xunit.Abstractions;

namespace RedisRing.SharedCache.Tests.CrossProcess;

[Collection(CrossProcessCollection.Name)]
public sealed class MultiProcessStressTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempCache _cache = new();

    [Fact]
    public async Task Reader_processes_never_see_a_torn_record_while_a_loader_process_writes_nonstop()
    {
        await using var loader = StressHostProcess.Start("load", _cache.Path, TimeSpan.FromSeconds(9), output);
        await loader.WaitForOutputAsync("loader: ready", TimeSpan.FromSeconds(30));
        var readers = new List<StressHostProcess>();
        for (var i = 0; i < 3; i++)
        {
            readers.Add(StressHostProcess.Start("read", _cache.Path, TimeSpan.FromSeconds(7), output));
        }

        try
        {
            foreach (var reader in readers)
            {
                Assert.Equal(0, await reader.WaitForExitAsync(TimeSpan.FromSeconds(60)));
                Assert.Equal(0, reader.Counter("torn"));
                Assert.Equal(0, reader.Counter("missing"));
                Assert.True(reader.Counter("found") > 1000, "each reader must have verified many records");

                // The loader's values grow fourfold in its second half, so the file is remapped at
                // least once while every reader runs (readers start in the first half). How many
                // times it grows depends on the random sizes: once is what the test needs.
                Assert.True(reader.Counter("lastFileGeneration") > reader.Counter("firstFileGeneration"), "the file must have grown while each reader read");
            }

            Assert.Equal(0, await loader.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.True(loader.Counter("writes") > 10_000, "the loader must have written nonstop");
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }
        }
    }

    public void Dispose() => _cache.Dispose();
}
