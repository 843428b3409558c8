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
/// the supervisor is killed, so workers never outlive it.
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
            await process.WaitForExitAsync(CancellationToken.None);
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

    private Process Start(int index)
    {
        // Run the same program the same way: the apphost directly, or "dotnet redisring-captcha.dll".
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var info = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            // Output is inherited (workers log to the supervisor's stdout); input is a pipe only we hold.
            RedirectStandardInput = true,
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
