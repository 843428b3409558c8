namespace RedisRing.Proxy.Repair;

/// <summary>What anti-entropy passes found and did (INFO ring, <c>repair_anti_entropy</c>); counters add up over passes.</summary>
internal sealed class AntiEntropyReport
{
    public long Passes;
    public long KeysScanned;
    public long CopiesCompared;
    public long Suspects;
    public long RepairedMissing;
    public long RepairedDiffering;
    public long ChangedMeanwhile;
    public long Trimmed;
    public long TrimmedBytes;
    public long Rehomed;
    public long LastPassMilliseconds;
    public long LastPassEndedMs;
    public string LastError = string.Empty;

    public string ToInfo() =>
        $"passes={Interlocked.Read(ref Passes)},keys_scanned={Interlocked.Read(ref KeysScanned)},copies_compared={Interlocked.Read(ref CopiesCompared)}," +
        $"suspects={Interlocked.Read(ref Suspects)},repaired_missing={Interlocked.Read(ref RepairedMissing)},repaired_differing={Interlocked.Read(ref RepairedDiffering)}," +
        $"changed_meanwhile={Interlocked.Read(ref ChangedMeanwhile)},trimmed_keys={Interlocked.Read(ref Trimmed)},trimmed_bytes={Interlocked.Read(ref TrimmedBytes)}," +
        $"rehomed={Interlocked.Read(ref Rehomed)},last_pass_ms={Interlocked.Read(ref LastPassMilliseconds)},last_pass_ended={Interlocked.Read(ref LastPassEndedMs)}," +
        $"last_error={LastError.Replace(',', ';')}";
}
