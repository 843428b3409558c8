using System.Globalization;

namespace RedisRing.Captcha.Hosting;

/// <summary>
/// The process-level switch, read before any configuration: <c>--workers N</c> runs a supervisor
/// with N worker processes (default: one per core), <c>--workers 0</c> serves in this one process.
/// A worker is recognised by the <c>--Worker:Index</c> the supervisor gives it.
/// </summary>
internal sealed record WorkerCommandLine(int Workers, bool IsWorker, string[] Arguments)
{
    public const string WorkersSwitch = "--workers";
    public const string WorkerIndexSwitch = "--Worker:Index";
    public const int MaxWorkers = 256;

    /// <summary>Splits <c>--workers</c> off the arguments; the rest go to the application's configuration.</summary>
    public static WorkerCommandLine Parse(string[] args)
    {
        var workers = Environment.ProcessorCount;
        var rest = new List<string>(args.Length);
        var isWorker = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? value = null;
            if (string.Equals(arg, WorkersSwitch, StringComparison.OrdinalIgnoreCase))
            {
                value = i + 1 < args.Length ? args[++i] : throw new WorkerCommandLineException("--workers needs a number (0 = serve in this process).");
            }
            else if (arg.StartsWith(WorkersSwitch + "=", StringComparison.OrdinalIgnoreCase))
            {
                value = arg[(WorkersSwitch.Length + 1)..];
            }

            if (value is not null)
            {
                workers = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxWorkers
                    ? n
                    : throw new WorkerCommandLineException($"--workers must be a whole number from 0 to {MaxWorkers}, not '{value}'.");
                continue;
            }

            isWorker |= arg.StartsWith(WorkerIndexSwitch, StringComparison.OrdinalIgnoreCase);
            rest.Add(arg);
        }

        return new WorkerCommandLine(workers, isWorker, [.. rest]);
    }
}
