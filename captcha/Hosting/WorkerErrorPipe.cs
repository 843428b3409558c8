using System.Diagnostics;

namespace RedisRing.Captcha.Hosting;

/// <summary>
/// The supervisor's end of a worker's standard error. The worker writes a heartbeat byte into it
/// every interval (<see cref="SupervisorHeartbeat"/>); a worker that is stopped (SIGSTOP), frozen or
/// deadlocked stops writing, which its exit code would never show. Heartbeat bytes only mark the
/// worker alive; anything else the worker writes there (a crash report) is passed on to the
/// supervisor's own standard error, so nothing a worker says is lost. Its logs use standard output,
/// which stays inherited.
/// </summary>
internal sealed class WorkerErrorPipe(Process process, TimeProvider time)
{
    /// <summary>NUL: never part of the text a worker writes, so it can be taken out of the stream byte by byte.</summary>
    public const byte Heartbeat = 0;

    private static readonly Lock ForwardLock = new();
    private static readonly Stream Forward = Console.OpenStandardError();

    private readonly long _started = time.GetTimestamp();
    private long _lastBeat;

    public bool HasBeaten => Volatile.Read(ref _lastBeat) != 0;

    /// <summary>Time since the last heartbeat, or since the worker started when it has not sent one yet.</summary>
    public TimeSpan Silence => time.GetElapsedTime(HasBeaten ? Volatile.Read(ref _lastBeat) : _started);

    /// <summary>Reads until the worker's end closes (it exited), on a thread of its own: the read blocks for the worker's life.</summary>
    public Task PumpAsync() => Task.Factory.StartNew(Pump, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Pump()
    {
        var buffer = new byte[4096];
        var text = new byte[4096];
        try
        {
            var input = process.StandardError.BaseStream;
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                var length = 0;
                foreach (var b in buffer.AsSpan(0, read))
                {
                    if (b == Heartbeat)
                    {
                        Volatile.Write(ref _lastBeat, time.GetTimestamp());
                    }
                    else
                    {
                        text[length++] = b;
                    }
                }

                if (length > 0)
                {
                    lock (ForwardLock)
                    {
                        Forward.Write(text, 0, length);
                        Forward.Flush();
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The worker is gone and its pipe with it.
        }
    }
}
