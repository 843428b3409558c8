using System.Buffers;
using BenchmarkDotNet.Attributes;
using RedisRing.Proxy.Commands;
using RedisRing.Resp;

namespace RedisRing.Benchmarks;

/// <summary>
/// The proxy's per-request parsing work: scanning a frame, finding its command, scanning a reply.
/// Allocations are reported: the hot path must allocate nothing per command.
/// </summary>
[MemoryDiagnoser]
public class RequestReaderBenchmarks
{
    private readonly RequestFrame _frame = new();
    private ReadOnlySequence<byte> _get;
    private ReadOnlySequence<byte> _set;
    private ReadOnlySequence<byte> _pipeline;
    private ReadOnlySequence<byte> _reply;

    [GlobalSetup]
    public void Setup()
    {
        _get = new ReadOnlySequence<byte>("*2\r\n$3\r\nGET\r\n$16\r\nkey:000000012345\r\n"u8.ToArray());
        _set = new ReadOnlySequence<byte>(System.Text.Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$16\r\nkey:000000012345\r\n$100\r\n" + new string('x', 100) + "\r\n"));
        var pipeline = new List<byte>();
        for (var i = 0; i < 16; i++)
        {
            pipeline.AddRange(_get.ToArray());
        }

        _pipeline = new ReadOnlySequence<byte>(pipeline.ToArray());
        _reply = new ReadOnlySequence<byte>("*3\r\n$3\r\nfoo\r\n$-1\r\n:42\r\n"u8.ToArray());
    }

    [Benchmark]
    public int ScanGet()
    {
        RequestReader.TryRead(_get, _frame, RespLimits.Default, out _);
        return _frame.Count;
    }

    [Benchmark]
    public int ScanSet100Bytes()
    {
        RequestReader.TryRead(_set, _frame, RespLimits.Default, out _);
        return _frame.Count;
    }

    [Benchmark(OperationsPerInvoke = 16)]
    public int ScanPipelineOf16Gets()
    {
        var buffer = _pipeline;
        var count = 0;
        while (RequestReader.TryRead(buffer, _frame, RespLimits.Default, out _) == RespStatus.Complete)
        {
            buffer = buffer.Slice(_frame.ConsumedLength);
            count++;
        }

        return count;
    }

    [Benchmark]
    public object? ScanGetAndFindCommand()
    {
        RequestReader.TryRead(_get, _frame, RespLimits.Default, out _);
        return CommandLookup.Find(_frame[0]);
    }

    [Benchmark]
    public long ScanArrayReply()
    {
        ReplyScanner.TryScan(_reply, out var length);
        return length;
    }
}
