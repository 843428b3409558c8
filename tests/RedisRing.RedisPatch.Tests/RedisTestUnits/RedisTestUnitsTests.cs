using System.Diagnostics;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.RedisTestUnits;

/// <summary>Redis's own tests for the code the patch touches, on the patched build.</summary>
public sealed class RedisTestUnitsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Redis_own_info_and_introspection_units_pass_on_the_patched_build()
    {
        // redis-patch/runtest.sh runs unit/info, unit/introspection and unit/introspection-2
        // (bounded to 300 s); scripts/test.d/redis-patch.sh ran it already, and a pass for the
        // same build is remembered, so this normally returns at once.
        var script = Path.Combine(RepositoryPaths.Root, "redis-patch", "runtest.sh");
        var info = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(330));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout + await stderr);
        Assert.Equal(0, process.ExitCode);
    }
}
