using System.Runtime.InteropServices;

namespace RedisRing.SharedCache.Security;

/// <summary>
/// The few Linux calls .NET does not expose: who owns a file and with what mode (statx, whose
/// layout is the same on every architecture, unlike struct stat), opening without following a
/// symbolic link, and reserving a file's space up front.
/// </summary>
internal static unsafe partial class LibC
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxBasicStats = 0x7ff;

    public const int ReadOnly = 0;
    public const int ReadWrite = 2;
    public const int NoFollow = 0x20000;
    public const int CloseOnExec = 0x80000;

    public const int ENOENT = 2;
    public const int EFBIG = 27;
    public const int ENOSPC = 28;
    public const int ELOOP = 40;
    public const int EDQUOT = 122;

    public const uint FileTypeMask = 0xF000;
    public const uint RegularFile = 0x8000;
    public const uint DirectoryType = 0x4000;
    public const uint SymbolicLinkType = 0xA000;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int statx(int dirfd, byte* path, int flags, uint mask, StatxBuffer* buffer);

    [LibraryImport("libc")]
    public static partial uint geteuid();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    /// <summary>Returns 0 or an error number (it does not set errno).</summary>
    [LibraryImport("libc", EntryPoint = "posix_fallocate")]
    public static partial int PosixFallocate(nint fd, long offset, long length);

    /// <summary>Owner and mode of a path (not following a final symbolic link), or null when it does not exist.</summary>
    public static FileOwnership? LStat(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        StatxBuffer buffer;
        fixed (byte* p = bytes)
        {
            if (statx(AtFdCwd, p, AtSymlinkNoFollow, StatxBasicStats, &buffer) == 0)
            {
                return buffer.Ownership;
            }
        }

        var error = Marshal.GetLastPInvokeError();
        return error == ENOENT ? null : throw new IOException($"statx({path}) failed: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    /// <summary>Owner and mode of an open file: what was actually opened, whatever its name now points to.</summary>
    public static FileOwnership FStat(SafeHandle handle, string path)
    {
        byte empty = 0;
        StatxBuffer buffer;
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (statx((int)handle.DangerousGetHandle(), &empty, AtEmptyPath, StatxBasicStats, &buffer) == 0)
            {
                return buffer.Ownership;
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        throw new IOException($"statx({path}) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>struct statx (linux/stat.h): only the fields read here are named; 256 bytes in all.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(20)]
        public uint Uid;

        [FieldOffset(28)]
        public ushort Mode;

        public readonly FileOwnership Ownership => new(Uid, Mode);
    }
}
