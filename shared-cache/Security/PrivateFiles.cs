using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RedisRing.SharedCache.Security;

/// <summary>
/// The cache is only as trustworthy as the directory it lives in: whoever can create or replace a
/// file there can serve their own records to every reader, and whoever can read a file there reads
/// every record (site secrets' hashes included). So the directory must belong to this process's
/// user and give no access to anyone else (0700), every file in it is created 0600, and before a
/// file is mapped or locked its owner and mode are checked on the open descriptor. Root and
/// processes of the same user can still read and change everything: that is not a boundary here.
/// </summary>
internal static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly uint CurrentUid = OperatingSystem.IsLinux() ? LibC.geteuid() : 0;

    /// <summary>Creates the directory 0700 when it does not exist, then checks it (whoever created it).</summary>
    public static void EnsureDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        if (LibC.LStat(directory) is null)
        {
            // Parents that do not exist yet get the same mode: nothing on the way is left open.
            Directory.CreateDirectory(directory, DirectoryMode);
        }

        CheckDirectory(directory);
    }

    /// <summary>The directory is a real directory (not a link), this user's, and closed to everyone else.</summary>
    public static void CheckDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var found = LibC.LStat(directory) ?? throw new DirectoryNotFoundException($"The shared cache directory {directory} does not exist.");
        if (found.Type == LibC.SymbolicLinkType)
        {
            throw Refuse(directory, "is a symbolic link; the cache needs a real directory");
        }

        if (found.Type != LibC.DirectoryType)
        {
            throw Refuse(directory, "is not a directory");
        }

        CheckOwnerAndMode(directory, found, "directory", "0700");
    }

    /// <summary>Refuses a symbolic link where a file is expected (the published link itself is checked by its caller).</summary>
    public static void CheckNotSymbolicLink(string path)
    {
        if (OperatingSystem.IsLinux() && LibC.LStat(path) is { Type: LibC.SymbolicLinkType })
        {
            throw Refuse(path, "is a symbolic link where a file was expected");
        }
    }

    /// <summary>Checks what was actually opened: a regular file of this user, 0600 or stricter.</summary>
    public static void CheckOpened(SafeFileHandle handle, string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var found = LibC.FStat(handle, path);
        if (found.Type != LibC.RegularFile)
        {
            throw Refuse(path, "is not a regular file");
        }

        CheckOwnerAndMode(path, found, "file", "0600");
    }

    /// <summary>Options that create a file 0600 (on Unix; whatever the umask would otherwise allow).</summary>
    public static FileStreamOptions CreateOptions(System.IO.FileMode mode, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>
    /// Opens a file without following a symbolic link (O_NOFOLLOW): a link swapped in for a data file
    /// is refused rather than followed to wherever it points.
    /// </summary>
    public static FileStream OpenNoFollow(string path, bool writable)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new FileStream(path, System.IO.FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }

        var fd = LibC.Open(path, (writable ? LibC.ReadWrite : LibC.ReadOnly) | LibC.NoFollow | LibC.CloseOnExec);
        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw error switch
            {
                LibC.ENOENT => new FileNotFoundException($"{path} does not exist.", path),
                LibC.ELOOP => Refuse(path, "is a symbolic link where a data file was expected"),
                _ => new IOException($"open({path}) failed: {Marshal.GetPInvokeErrorMessage(error)}"),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            CheckOpened(handle, path);
            return new FileStream(handle, writable ? FileAccess.ReadWrite : FileAccess.Read);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void CheckOwnerAndMode(string path, FileOwnership found, string what, string wanted)
    {
        if (found.Uid != CurrentUid)
        {
            throw Refuse(path, $"belongs to uid {found.Uid}, not to this process's uid {CurrentUid} ({found}); a {what} of another user could hold anyone's records");
        }

        if (found.OthersAccess != 0)
        {
            throw Refuse(path, $"is open to group or others ({found}); the cache {what} must be {wanted}: fix it with chmod {wanted} or remove it");
        }
    }

    private static SharedCacheUnsafePathException Refuse(string path, string why) =>
        new($"Refusing the shared cache path {path}: it {why}.");
}
