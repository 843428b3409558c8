using System.Runtime.InteropServices;

namespace RedisRing.Proxy.Transport;

/// <summary>The few Linux calls the epoll transport makes, bound directly to libc.</summary>
internal static unsafe partial class EpollNative
{
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const uint EpollEt = 1u << 31;
    public const int EpollCloexec = 0x80000;
    public const int EfdCloexec = 0x80000;
    public const int EfdNonblock = 0x800;
    public const int MsgNoSignal = 0x4000;
    public const int ShutRdWr = 2;
    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int EPipe = 32;
    public const int EConnReset = 104;
    public const int ETimedOut = 110;
    public const int EHostUnreach = 113;

    private const string Libc = "libc";

    /// <summary>The layout matches the kernel's only on x86-64, where the struct is packed.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, EpollEvent* evt);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int epoll_wait(int epfd, EpollEvent* events, int maxEvents, int timeout);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int eventfd(uint initial, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint read(int fd, void* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint write(int fd, void* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int shutdown(int fd, int how);

    /// <summary>struct epoll_event as x86-64 Linux lays it out (packed: 4 + 8 bytes).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 12)]
    public struct EpollEvent
    {
        [FieldOffset(0)]
        public uint Events;

        [FieldOffset(4)]
        public ulong Data;
    }

    public static System.Net.Sockets.SocketError ToSocketError(int errno) => errno switch
    {
        EConnReset => System.Net.Sockets.SocketError.ConnectionReset,
        EPipe => System.Net.Sockets.SocketError.Shutdown,
        ETimedOut => System.Net.Sockets.SocketError.TimedOut,
        EHostUnreach => System.Net.Sockets.SocketError.HostUnreachable,
        _ => System.Net.Sockets.SocketError.SocketError,
    };
}
