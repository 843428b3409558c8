using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace RedisRing.ZooKeeper.Protocol;

/// <summary>Writes jute's binary encoding (big-endian integers, length-prefixed strings and buffers).</summary>
internal sealed class JuteWriter(IBufferWriter<byte> output)
{
    public void WriteInt(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public void WriteLong(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public void WriteBool(bool value)
    {
        output.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        output.Advance(1);
    }

    /// <summary>A jute ustring: length then UTF-8 bytes; null is length -1.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt(-1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt(length);
        var span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(length);
    }

    public void WriteBuffer(ReadOnlySpan<byte> value)
    {
        WriteInt(value.Length);
        output.Write(value);
    }

    public void WriteNullBuffer() => WriteInt(-1);

    public void WriteStrings(IReadOnlyCollection<string> values)
    {
        WriteInt(values.Count);
        foreach (var value in values)
        {
            WriteString(value);
        }
    }

    public void WriteAcl(IReadOnlyList<Acl> acl)
    {
        WriteInt(acl.Count);
        foreach (var entry in acl)
        {
            WriteInt((int)entry.Permissions);
            WriteString(entry.Scheme);
            WriteString(entry.Id);
        }
    }
}
