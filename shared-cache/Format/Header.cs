namespace RedisRing.SharedCache.Format;

/// <summary>Writes a new file header and checks an existing one before anything in the file is trusted.</summary>
internal static unsafe class Header
{
    public static void Initialize(byte* file, long fileSize, int maxOrder, ulong secret, ulong fileId, ulong fileGeneration)
    {
        new Span<byte>(file, Layout.HeaderSize).Clear();
        *(ulong*)(file + Layout.MagicOffset) = Layout.Magic;
        *(uint*)(file + Layout.VersionOffset) = Layout.Version;
        *(uint*)(file + Layout.HeaderSizeOffset) = Layout.HeaderSize;
        *(long*)(file + Layout.FileSizeOffset) = fileSize;
        *(long*)(file + Layout.ArenaOffsetOffset) = Layout.HeaderSize;
        *(long*)(file + Layout.ArenaSizeOffset) = 1L << maxOrder;
        *(int*)(file + Layout.MinOrderOffset) = Layout.MinOrder;
        *(int*)(file + Layout.MaxOrderOffset) = maxOrder;
        *(ulong*)(file + Layout.StampSecretOffset) = secret;
        *(ulong*)(file + Layout.FileIdOffset) = fileId;
        *(ulong*)(file + Layout.HeaderChecksumOffset) = Checksum(file);
        *(ulong*)(file + Layout.FileGenerationOffset) = fileGeneration;
    }

    public static ulong Checksum(byte* file) => Hash64.Compute(new ReadOnlySpan<byte>(file, Layout.ImmutableEnd), 0x48454144);

    /// <summary>Null when the header is valid for a file of <paramref name="length"/> bytes, else why not.</summary>
    public static string? Validate(byte* file, long length)
    {
        if (length < Layout.HeaderSize)
        {
            return "file shorter than its header";
        }

        if (*(ulong*)(file + Layout.MagicOffset) != Layout.Magic)
        {
            return "bad magic";
        }

        var version = *(uint*)(file + Layout.VersionOffset);
        if (version != Layout.Version)
        {
            return $"layout version {version}, expected {Layout.Version}";
        }

        if (*(ulong*)(file + Layout.HeaderChecksumOffset) != Checksum(file))
        {
            return "header checksum mismatch";
        }

        var maxOrder = *(int*)(file + Layout.MaxOrderOffset);
        var arenaOffset = *(long*)(file + Layout.ArenaOffsetOffset);
        var arenaSize = *(long*)(file + Layout.ArenaSizeOffset);
        if (*(uint*)(file + Layout.HeaderSizeOffset) != Layout.HeaderSize
            || *(int*)(file + Layout.MinOrderOffset) != Layout.MinOrder
            || maxOrder < Layout.MinOrder || maxOrder > 46
            || arenaOffset != Layout.HeaderSize
            || arenaSize != 1L << maxOrder
            || *(long*)(file + Layout.FileSizeOffset) != arenaOffset + arenaSize
            || arenaOffset + arenaSize != length)
        {
            return "header sizes do not match the file";
        }

        return null;
    }

    public static long ArenaSize(byte* file) => *(long*)(file + Layout.ArenaSizeOffset);

    public static int MaxOrder(byte* file) => *(int*)(file + Layout.MaxOrderOffset);

    public static ulong FileId(byte* file) => *(ulong*)(file + Layout.FileIdOffset);
}
