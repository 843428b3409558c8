using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace RedisRing.Testing;

/// <summary>
/// A real server process started by a test: its output goes to a log file in its own temporary
/// folder, it is killed (with its children) on dispose, and its log is written to the test output,
/// which xunit shows when the test fails.
/// </summary>
public abstract class ServerProcess : IAsyncDisposable
{
    private readonly ITestOutputHelper? _output;
    private Process? _process;
    private StreamWriter? _log;

    protected ServerProcess(string name, ITestOutputHelper? output)
    {
        Name = name;
        _output = output;
        Directory = Path.Combine(Path.GetTempPath(), "redisring-tests", $"{name}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        LogPath = Path.Combine(Directory, "process.log");
    }

    public string Name { get; }

    /// <summary>The process's own temporary folder (data, config, logs).</summary>
    public string Directory { get; }

    public string LogPath { get; }

    public bool IsRunning => _process is { HasExited: false };

    public int? ProcessId => _process?.Id;

    /// <summary>
    /// Runs <paramref name="start"/> on a fixture just created and returns the fixture; when the
    /// start fails (the process exits early, never gets ready), disposes the fixture first, which
    /// kills what it started and writes its log to the test output, then rethrows.
    /// </summary>
    public static async Task<T> StartOrDisposeAsync<T>(T fixture, Func<T, Task> start)
        where T : IAsyncDisposable
    {
        try
        {
            await start(fixture);
            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <see cref="StartOrDisposeAsync{T}"/> for a process whose start does not wait for readiness.
    /// </summary>
    public static T StartOrDispose<T>(T process, Action<T> start)
        where T : ServerProcess
    {
        try
        {
            start(process);
            return process;
        }
        catch
        {
            process.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Starts the executable with the given arguments, logging its stdout and stderr.</summary>
    protected void StartProcess(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        _log ??= new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var log = _log;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => WriteLog(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLog(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        WriteLog(log, $"--- started {fileName} {string.Join(' ', MaskSecrets(arguments))} (pid {process.Id})");
    }

    /// <summary>Hides the value after any argument that names a password, so logs hold no secrets.</summary>
    private static IEnumerable<string> MaskSecrets(IEnumerable<string> arguments)
    {
        var hideNext = false;
        foreach (var argument in arguments)
        {
            yield return hideNext ? "***" : argument;
            hideNext = argument.Contains("password", StringComparison.OrdinalIgnoreCase) || argument.Contains("requirepass", StringComparison.OrdinalIgnoreCase);
        }
    }

    private static void WriteLog(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The fixture was disposed while the process was still printing.
            }
        }
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>Sends a POSIX signal (for example SIGSTOP, SIGCONT, SIGTERM) to the process.</summary>
    public void Signal(string signal)
    {
        if (_process is null)
        {
            throw new InvalidOperationException($"{Name} is not running.");
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to exit by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} is not running.");
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary>
    /// Waits until a TCP connection to 127.0.0.1:<paramref name="port"/> succeeds. With a
    /// <paramref name="farewell"/> (such as QUIT), the probe sends it and waits for the server to
    /// close the connection, so that the probe is no longer one of the server's clients when the
    /// test starts (a test of a client limit would otherwise race with its closing).
    /// </summary>
    protected async Task WaitForPortAsync(int port, TimeSpan timeout, ReadOnlyMemory<byte> farewell = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it accepted connections.\n{ReadLog()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                if (!farewell.IsEmpty)
                {
                    await SayFarewellAsync(client, farewell, deadline);
                }

                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(25);
            }
            catch (SocketException)
            {
                throw new TimeoutException($"{Name} did not accept connections on port {port} within {timeout}.\n{ReadLog()}");
            }
        }
    }

    private async Task SayFarewellAsync(TcpClient client, ReadOnlyMemory<byte> farewell, DateTime deadline)
    {
        var remaining = deadline - DateTime.UtcNow;
        using var cts = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(farewell, cts.Token);
            var buffer = new byte[256];
            while (await stream.ReadAsync(buffer, cts.Token) > 0)
            {
                // The reply (or a refusal); the server closes the connection after it.
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not close the probe connection after {Encoding.ASCII.GetString(farewell.Span).Trim()}.\n{ReadLog()}");
        }
        catch (IOException)
        {
            // Reset instead of closed: gone either way.
        }
    }

    /// <summary>The process log so far.</summary>
    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    public virtual ValueTask DisposeAsync()
    {
        Kill();
        var log = ReadLog();
        if (_output is not null && log.Length > 0)
        {
            // The start says how the process came up, the end how it was doing when the test
            // ended; a line repeated for the whole test must not push the start out.
            const int HeadChars = 8_000, TailChars = 12_000;
            try
            {
                _output.WriteLine($"===== {Name} log ({LogPath}) =====");
                _output.WriteLine(log.Length > HeadChars + TailChars ? log[..HeadChars] + "\n...\n" + log[^TailChars..] : log);
            }
            catch (InvalidOperationException)
            {
                // The test already finished; xunit refuses late output.
            }
        }

        lock (this)
        {
            _log?.Dispose();
            _log = null;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
