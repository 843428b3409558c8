using System.Diagnostics;

namespace RedisRing.Testing;

/// <summary>
/// Runs a command-line program (redis-cli, redis-benchmark, ringctl, docker-compose) to its end,
/// bounded in time: past the bound its whole process tree is killed and a
/// <see cref="TimeoutException"/> says what did not finish.
/// </summary>
public static class ToolProcess
{
    /// <summary>What a finished program left: its exit code and its standard output and error.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>Runs <paramref name="file"/>; returns its exit code with its standard output and error together.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string? input = null, int timeoutSeconds = 60)
    {
        var result = await RunSeparatelyAsync(file, arguments, environment: null, input, timeoutSeconds);
        return (result.ExitCode, result.Stdout + result.Stderr);
    }

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="environment"/> over this process's own (a
    /// null value removes that variable); returns its exit code and its two outputs apart.
    /// </summary>
    public static async Task<Result> RunSeparatelyAsync(
        string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? input = null, int timeoutSeconds = 60)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish within {timeoutSeconds} s");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
