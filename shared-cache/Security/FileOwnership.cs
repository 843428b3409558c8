using System.Globalization;

namespace RedisRing.SharedCache.Security;

/// <summary>The owner and the st_mode bits (file type and permissions) of a file.</summary>
internal readonly record struct FileOwnership(uint Uid, uint Mode)
{
    public uint Type => Mode & LibC.FileTypeMask;

    /// <summary>Permission bits for the group and for others: any of them set means someone else may read or write.</summary>
    public uint OthersAccess => Mode & 0x3F; // 0077

    public string Permissions => Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0');

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"owner uid {Uid}, mode {Permissions}");
}
