using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace RedisRing.Captcha.Hosting;

/// <summary>
/// The parent process of <c>--workers N</c>: starts N copies of this program as workers (each
/// binds the same port with SO_REUSEPORT), restarts a worker that dies, and on SIGTERM or Ctrl-C
/// stops them all and exits once they have. It serves nothing and reads no settings itself. It
/// stops a worker by closing the worker's standard input, which is also what the worker sees if
/// the supervisor is killed, so workers never outlive it. A worker that stops sending heartbeats
/// over its standard error (stopped, frozen) is killed and replaced like one that died.
/// </summary>
internal sealed partial class WorkerSupervisor(
    SupervisorOptions options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<WorkerSupervisor> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<int, Process> _running = new();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        stoppingToken.Register(CloseInputs);
        LogStarting(options.Workers);
        return Task.WhenAll(Enumerable.Range(0, options.Workers).Select(i => RunSlotAsync(i, stoppingToken)));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var stopped = base.StopAsync(cancellationToken);
        if (await Task.WhenAny(stopped, Task.Delay(options.StopGracePeriod, time, cancellationToken)) != stopped)
        {
            foreach (var (index, process) in _running)
            {
                LogKilling(index, process.Id);
                Kill(process);
            }
        }

        await stopped;
    }

    private async Task RunSlotAsync(int index, CancellationToken stopping)
    {
        var quickExits = 0;
        while (!stopping.IsCancellationRequested)
        {
            Process process;
            try
            {
                process = Start(index);
            }
            catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
            {
                LogStartFailed(e, index);
                GiveUp();
                return;
            }

            var started = time.GetUtcNow();
            _running[index] = process;
            if (stopping.IsCancellationRequested)
            {
                // Stopping began while this worker started: it missed the input close.
                CloseInput(process);
            }

            LogWorkerStarted(index, process.Id);
            var errors = new WorkerErrorPipe(process, time);
            var pumping = errors.PumpAsync();
            await WaitForExitOrHangAsync(index, process, errors, stopping);
            // Ends at the pipe's end of file; bounded in case something the worker started still holds it.
            await pumping.WaitAsync(TimeSpan.FromSeconds(5), time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _running.TryRemove(index, out _);
            var code = process.ExitCode;
            var pid = process.Id;
            process.Dispose();
            if (stopping.IsCancellationRequested)
            {
                LogWorkerStopped(index, pid, code);
                return;
            }

            quickExits = time.GetUtcNow() - started < options.QuickExit ? quickExits + 1 : 0;
            if (quickExits >= options.MaxQuickExits)
            {
                LogGivingUp(index, quickExits);
                GiveUp();
                return;
            }

            // At once after a long run; backing off while a worker keeps failing to start.
            var delay = TimeSpan.FromMilliseconds(quickExits == 0 ? 200 : 500 << quickExits);
            LogWorkerDied(index, pid, code, delay.TotalMilliseconds);
            await Task.Delay(delay, time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Waits for the worker to exit; if its heartbeats stop for longer than the timeout first, kills
    /// it (SIGKILL: a stopped process cannot handle anything gentler) so the slot starts a new one.
    /// Not while the service stops: then the grace period in <see cref="StopAsync"/> decides.
    /// </summary>
    private async Task WaitForExitOrHangAsync(int index, Process process, WorkerErrorPipe errors, CancellationToken stopping)
    {
        var exited = process.WaitForExitAsync(CancellationToken.None);
        if (options.HeartbeatTimeout <= TimeSpan.Zero)
        {
            await exited;
            return;
        }

        var check = options.HeartbeatInterval;
        while (await Task.WhenAny(exited, Task.Delay(check, time, CancellationToken.None)) != exited)
        {
            var limit = errors.HasBeaten ? options.HeartbeatTimeout : options.FirstHeartbeatTimeout;
            var silence = errors.Silence;
            if (silence > limit && !stopping.IsCancellationRequested)
            {
                LogHung(index, process.Id, silence.TotalMilliseconds, errors.HasBeaten);
                Kill(process);
                break;
            }
        }

        await exited;
    }

    private Process Start(int index)
    {
        // Run the same program the same way: the apphost directly, or "dotnet redisring-captcha.dll".
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var info = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            // Output is inherited (workers log to the supervisor's stdout); input is a pipe only we
            // hold; standard error carries heartbeats (and is passed on, see WorkerErrorPipe).
            RedirectStandardInput = true,
            RedirectStandardError = true,
        };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.Ordinal))
        {
            info.ArgumentList.Add(typeof(WorkerSupervisor).Assembly.Location);
        }

        foreach (var argument in options.WorkerArguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add(WorkerCommandLine.WorkerIndexSwitch);
        info.ArgumentList.Add(index.ToString(CultureInfo.InvariantCulture));
        // Workers share one settings cache whatever the configuration says: that is their point.
        info.ArgumentList.Add("--Settings:Cache");
        info.ArgumentList.Add("Shared");
        if (options.HeartbeatTimeout > TimeSpan.Zero)
        {
            info.ArgumentList.Add("--Worker:HeartbeatMs");
            info.ArgumentList.Add(((int)options.HeartbeatInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        return Process.Start(info) ?? throw new InvalidOperationException("The worker process did not start.");
    }

    private void CloseInputs()
    {
        foreach (var process in _running.Values)
        {
            CloseInput(process);
        }
    }

    private static void CloseInput(Process process)
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
        {
            // Already exited or already closed.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Already exited.
        }
    }

    private void GiveUp()
    {
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }
}
