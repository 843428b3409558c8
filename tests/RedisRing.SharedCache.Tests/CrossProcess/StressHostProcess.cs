using System.Globalization;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.SharedCache.Tests.CrossProcess;

/// <summary>A loader or verifying reader in a process of its own (tests/RedisRing.SharedCache.StressHost).</summary>
internal sealed class StressHostProcess : ServerProcess
{
    private StressHostProcess(string name, ITestOutputHelper output)
        : base(name, output)
    {
    }

    public static StressHostProcess Start(string role, string cachePath, TimeSpan duration, ITestOutputHelper output)
    {
        var dll = RepositoryPaths.BuiltDll("tests/RedisRing.SharedCache.StressHost", "RedisRing.SharedCache.StressHost");
        return StartOrDispose(new StressHostProcess(role, output),
            p => p.StartProcess("dotnet", [dll, role, cachePath, duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)]));
    }

    /// <summary>Waits until the process has printed a line containing <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!ReadLog().Contains(text, StringComparison.Ordinal))
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"{Name} exited before printing '{text}':\n{ReadLog()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not print '{text}' within {timeout}:\n{ReadLog()}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>The value of "name=value" in the last line that has it.</summary>
    public long Counter(string name)
    {
        var log = ReadLog();
        var at = log.LastIndexOf(" " + name + "=", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"{Name} printed no {name}:\n{log}");
        }

        var start = at + name.Length + 2;
        var end = start;
        while (end < log.Length && char.IsAsciiDigit(log[end]))
        {
            end++;
        }

        return long.Parse(log.AsSpan(start, end - start), CultureInfo.InvariantCulture);
    }
}
