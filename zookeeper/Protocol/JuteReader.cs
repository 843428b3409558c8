using System.Buffers.Binary;
using System.Text;

namespace RedisRing.ZooKeeper.Protocol;

/// <summary>
/// Reads jute records from one whole reply frame. Every length is checked against what is left in
/// the frame, so a malformed reply raises <see cref="JuteFormatException"/> instead of reading
/// past the frame or allocating what a bogus length asks for.
/// </summary>
internal ref struct JuteReader(ReadOnlySpan<byte> frame)
{
    private readonly ReadOnlySpan<byte> _frame = frame;
    private int _position;

    public readonly int Remaining => _frame.Length - _position;

    public int ReadInt() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long ReadLong() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public bool ReadBool() => Take(1)[0] != 0;

    public string? ReadString()
    {
        var length = ReadInt();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public byte[]? ReadBuffer()
    {
        var length = ReadInt();
        return length < 0 ? null : Take(length).ToArray();
    }

    public IReadOnlyList<string> ReadStrings()
    {
        var count = ReadCount(minimumItemSize: 4);
        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = ReadString() ?? throw new JuteFormatException("Null string in a vector.");
        }

        return values;
    }

    public IReadOnlyList<Acl> ReadAcl()
    {
        var count = ReadCount(minimumItemSize: 12);
        var values = new Acl[count];
        for (var i = 0; i < count; i++)
        {
            var permissions = (Permissions)ReadInt();
            var scheme = ReadString() ?? string.Empty;
            var id = ReadString() ?? string.Empty;
            values[i] = new Acl(permissions, scheme, id);
        }

        return values;
    }

    public Stat ReadStat() => new(
        CreatedZxid: ReadLong(),
        ModifiedZxid: ReadLong(),
        CreatedTime: ReadLong(),
        ModifiedTime: ReadLong(),
        Version: ReadInt(),
        ChildVersion: ReadInt(),
        AclVersion: ReadInt(),
        EphemeralOwner: ReadLong(),
        DataLength: ReadInt(),
        NumChildren: ReadInt(),
        ChildrenZxid: ReadLong());

    private int ReadCount(int minimumItemSize)
    {
        var count = ReadInt();
        if (count < 0)
        {
            return 0;
        }

        if ((long)count * minimumItemSize > Remaining)
        {
            throw new JuteFormatException($"Vector of {count} items does not fit in the {Remaining} bytes left.");
        }

        return count;
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > Remaining)
        {
            throw new JuteFormatException($"Record needs {length} bytes, the frame has {Remaining} left.");
        }

        var slice = _frame.Slice(_position, length);
        _position += length;
        return slice;
    }
}
