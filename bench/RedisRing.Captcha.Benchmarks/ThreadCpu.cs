using System.Runtime.InteropServices;

namespace RedisRing.Captcha.Benchmarks;

/// <summary>
/// CPU time the calling thread has used (Linux, CLOCK_THREAD_CPUTIME_ID). On a machine shared
/// with other people's builds, wall-clock time per render grows with the load average; the CPU
/// a thread spends on the same work moves much less.
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static double Milliseconds()
    {
        if (ClockGetTime(ClockThreadCpuTime, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (time.Seconds * 1e3) + (time.Nanoseconds / 1e6);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
