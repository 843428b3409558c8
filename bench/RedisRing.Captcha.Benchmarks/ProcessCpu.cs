using System.Globalization;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// CPU time (user + system) a process and all its descendants have used, from /proc. Wall-clock
/// throughput on a shared machine is noisy; CPU seconds per request is what the code costs.
/// </summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static double SecondsOfTree(int pid)
    {
        var parents = new Dictionary<int, int>();
        var times = new Dictionary<int, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var id) || !TryRead(id, out var parent, out var seconds))
            {
                continue;
            }

            parents[id] = parent;
            times[id] = seconds;
        }

        var total = 0.0;
        foreach (var (id, seconds) in times)
        {
            for (var p = id; p > 1; p = parents.GetValueOrDefault(p))
            {
                if (p == pid)
                {
                    total += seconds;
                    break;
                }
            }
        }

        return total;
    }

    /// <summary>CPU seconds of one process only (this benchmark's own process has the servers as children).</summary>
    public static double SecondsOf(int pid) => TryRead(pid, out _, out var seconds) ? seconds : 0;

    private static bool TryRead(int pid, out int parent, out double seconds)
    {
        parent = 0;
        seconds = 0;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        // The command name (field 2) may hold spaces; the fields after its closing ')' are fixed.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
        seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        return true;
    }
}
