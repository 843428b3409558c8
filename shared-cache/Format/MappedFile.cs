using System.IO.MemoryMappedFiles;
using RedisRing.SharedCache.Security;

namespace RedisRing.SharedCache.Format;

/// <summary>
/// One cache file mapped into this process. The view's pointer is acquired once, so a lookup makes
/// no system call; readers map it read-only, so a reader can never damage the shared copy.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private bool _disposed;

    private MappedFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long length)
    {
        Path = path;
        _map = map;
        _view = view;
        Length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        Base = pointer + view.PointerOffset;
    }

    /// <summary>The path the file was opened with (the real file, not the published link).</summary>
    public string Path { get; }

    public byte* Base { get; }

    public long Length { get; }

    /// <summary>
    /// Maps an existing data file. It is opened without following a symbolic link and mapped only
    /// if it is a regular file of this user that no one else may read or write.
    /// </summary>
    public static MappedFile Open(string path, bool writable) => Map(path, PrivateFiles.OpenNoFollow(path, writable), writable);

    /// <summary>
    /// Creates a data file (0600) and reserves all of its space now. The file is mapped and written
    /// through memory: a sparse file on a full tmpfs would kill the process with SIGBUS at the first
    /// write to a page that cannot be backed, long after the load "succeeded". Reserved up front, a
    /// full /dev/shm is a <see cref="SharedCacheFullException"/> here instead, and nothing is left behind.
    /// </summary>
    public static MappedFile Create(string path, long length)
    {
        // FileShare.ReadWrite | Delete: no flock; the loader replaces and deletes files that readers still map.
        var stream = new FileStream(path, PrivateFiles.CreateOptions(FileMode.CreateNew, FileShare.ReadWrite | FileShare.Delete));
        try
        {
            PrivateFiles.CheckOpened(stream.SafeFileHandle, path);
            Reserve(stream, path, length);
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }

        return Map(path, stream, writable: true);
    }

    private static void Reserve(FileStream stream, string path, long length)
    {
        if (!OperatingSystem.IsLinux())
        {
            stream.SetLength(length);
            return;
        }

        var error = LibC.PosixFallocate(stream.SafeFileHandle.DangerousGetHandle(), 0, length);
        switch (error)
        {
            case 0:
                return;
            case LibC.ENOSPC or LibC.EDQUOT or LibC.EFBIG:
                throw new SharedCacheFullException(
                    $"No room for a {length}-byte shared cache file {path} ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)}): "
                    + "the file system (/dev/shm is limited to half the memory by default) is full or the file is too large; nothing was changed.");
            default:
                throw new IOException($"Reserving {length} bytes for {path} failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)}");
        }
    }

    private static MappedFile Map(string path, FileStream stream, bool writable)
    {
        try
        {
            var length = stream.Length;
            if (length < Layout.HeaderSize)
            {
                throw new SharedCacheCorruptException($"{path} is {length} bytes, shorter than the cache header.");
            }

            var access = writable ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.Read;
            var map = MemoryMappedFile.CreateFromFile(stream, null, length, access, HandleInheritability.None, leaveOpen: false);
            try
            {
                return new MappedFile(path, map, map.CreateViewAccessor(0, length, access), length);
            }
            catch
            {
                map.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public ref ulong U64(long offset) => ref *(ulong*)(Base + offset);

    public ref uint U32(long offset) => ref *(uint*)(Base + offset);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
