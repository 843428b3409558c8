using System.Runtime.InteropServices;
using RedisRing.Ringctl;

// ringctl: the operators' tool (docs/ringctl.md). Ctrl-C or SIGTERM stops a command (exit 130).
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
try
{
    return await RingctlApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, !Console.IsOutputRedirected, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 130;
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
