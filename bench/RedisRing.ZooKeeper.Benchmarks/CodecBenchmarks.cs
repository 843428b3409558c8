using System.Buffers;
using BenchmarkDotNet.Attributes;
using RedisRing.ZooKeeper.Protocol;

namespace RedisRing.ZooKeeper.Benchmarks;

/// <summary>
/// The client's own cost per request, without a server: writing a getData request body, splitting
/// a receive buffer into reply frames and decoding a getData reply (100-byte data and a Stat).
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private byte[] _reply = [];
    private ReadOnlySequence<byte> _burst;

    [GlobalSetup]
    public void Setup()
    {
        var body = new ArrayBufferWriter<byte>();
        var writer = new JuteWriter(body);
        writer.WriteInt(7); // xid
        writer.WriteLong(1234); // zxid
        writer.WriteInt(0); // error
        writer.WriteBuffer(new byte[100]);
        for (var i = 0; i < 6; i++)
        {
            writer.WriteLong(i);
        }

        writer.WriteInt(1);
        writer.WriteInt(0);
        writer.WriteInt(0);
        writer.WriteLong(0);
        writer.WriteInt(100);
        writer.WriteInt(0);
        writer.WriteLong(9);
        _reply = body.WrittenSpan.ToArray();

        var frames = new ArrayBufferWriter<byte>();
        var framesWriter = new JuteWriter(frames);
        for (var i = 0; i < 64; i++)
        {
            framesWriter.WriteBuffer(_reply);
        }

        _burst = new ReadOnlySequence<byte>(frames.WrittenMemory);
    }

    [Benchmark]
    public int WriteGetDataRequest()
    {
        _output.Clear();
        var writer = new JuteWriter(_output);
        writer.WriteString("/redisring/members/node-0000000042");
        writer.WriteBool(true);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int ReadGetDataReply()
    {
        var reader = new JuteReader(_reply);
        reader.ReadInt();
        reader.ReadLong();
        reader.ReadInt();
        var data = reader.ReadBuffer();
        var stat = reader.ReadStat();
        return data!.Length + stat.Version;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int SplitSixtyFourFrames()
    {
        var buffer = _burst;
        var count = 0;
        while (FrameReader.TryRead(ref buffer, 0xfffff, out _))
        {
            count++;
        }

        return count;
    }
}
