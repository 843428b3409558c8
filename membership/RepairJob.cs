using System.Buffers;
using System.Text.Json;

namespace RedisRing.Membership;

/// <summary>Where a warm-up stands (docs/consistency.md, "Warm-up").</summary>
public enum RepairPhase
{
    /// <summary>Waiting until every proxy records the keys it writes to the node.</summary>
    Tracking,

    /// <summary>The repairer copies every key the node owns from its first readable copy.</summary>
    Copying,

    /// <summary>Every proxy copies again the keys it wrote while the copy ran.</summary>
    Draining,

    /// <summary>Complete; waiting for an operator's promotion (automatic promotion is off).</summary>
    Ready,

    /// <summary>Promoted.</summary>
    Done,
}

/// <summary>
/// The persistent znode <c>repair/jobs/&lt;host&gt;:&lt;port&gt;</c>: the warm-up of one joining node (or
/// the drain of a leaving one: its keys copied to their future owners before it is removed),
/// with its checkpoint (the source being scanned and the SCAN cursor reached), so that a new
/// repairer resumes where a killed one stopped. A job belongs to one run_id of the node: when the
/// node restarts, the repairer starts a new generation.
/// </summary>
public sealed record RepairJob(NodeAddress Node, string RunId, long Generation, RepairPhase Phase)
{
    public const int FormatVersion = 1;

    /// <summary>Tracking, copying or draining: proxies record and re-copy their writes.</summary>
    public bool IsRunning => Phase is RepairPhase.Tracking or RepairPhase.Copying or RepairPhase.Draining;

    /// <summary>The source being scanned (empty: not started, or between sources).</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>The SCAN cursor reached on <see cref="Source"/> ("0": from the start).</summary>
    public string Cursor { get; init; } = "0";

    /// <summary>Sources already scanned completely in this generation.</summary>
    public IReadOnlyList<string> SourcesDone { get; init; } = [];

    /// <summary>Keys copied to the node so far in this generation.</summary>
    public long Copied { get; init; }

    /// <summary>Bytes of serialized values copied so far.</summary>
    public long Bytes { get; init; }

    /// <summary>Estimate of the keys the node owns (0: not known yet).</summary>
    public long Estimated { get; init; }

    /// <summary>Keys per second over the last checkpoint interval.</summary>
    public double KeysPerSecond { get; init; }

    /// <summary>Unix milliseconds when the generation started and when the job was last written.</summary>
    public long StartedMs { get; init; }

    public long UpdatedMs { get; init; }

    /// <summary>The proxy that last wrote the job (the repairer).</summary>
    public string Repairer { get; init; } = string.Empty;

    /// <summary>What the repairer is waiting for, or the last problem met (empty: none).</summary>
    public string Note { get; init; } = string.Empty;

    public static string ToJson(RepairPhase phase) => phase switch
    {
        RepairPhase.Tracking => "tracking",
        RepairPhase.Copying => "copying",
        RepairPhase.Draining => "draining",
        RepairPhase.Ready => "ready",
        _ => "done",
    };

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteString("node", Node.ToString());
            writer.WriteString("runId", RunId);
            writer.WriteNumber("generation", Generation);
            writer.WriteString("phase", ToJson(Phase));
            writer.WriteString("source", Source);
            writer.WriteString("cursor", Cursor);
            writer.WriteStartArray("sourcesDone");
            foreach (var done in SourcesDone)
            {
                writer.WriteStringValue(done);
            }

            writer.WriteEndArray();
            writer.WriteNumber("copied", Copied);
            writer.WriteNumber("bytes", Bytes);
            writer.WriteNumber("estimated", Estimated);
            writer.WriteNumber("keysPerSecond", Math.Round(KeysPerSecond, 1));
            writer.WriteNumber("startedMs", StartedMs);
            writer.WriteNumber("updatedMs", UpdatedMs);
            writer.WriteString("repairer", Repairer);
            writer.WriteString("note", Note);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a job znode; the node must equal the znode name. Never throws on bad data.</summary>
    public static bool TryParse(string znodeName, ReadOnlySpan<byte> data, out RepairJob job, out string error)
    {
        job = null!;
        try
        {
            using var document = JsonDocument.Parse(data.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("node", out var nodeText) || nodeText.ValueKind != JsonValueKind.String
                || !NodeAddress.TryParse(nodeText.GetString(), out var node, out _) || node.ToString() != znodeName)
            {
                error = "missing \"node\" or one that differs from the znode name " + znodeName;
                return false;
            }

            var phase = String(root, "phase") switch
            {
                "tracking" => RepairPhase.Tracking,
                "copying" => RepairPhase.Copying,
                "draining" => RepairPhase.Draining,
                "ready" => RepairPhase.Ready,
                "done" => RepairPhase.Done,
                var other => throw new FormatException($"unknown phase \"{other}\""),
            };
            job = new RepairJob(node, String(root, "runId"), Number(root, "generation"), phase)
            {
                Source = String(root, "source"),
                Cursor = String(root, "cursor") is { Length: > 0 } cursor ? cursor : "0",
                SourcesDone = root.TryGetProperty("sourcesDone", out var done) && done.ValueKind == JsonValueKind.Array
                    ? [.. done.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
                    : [],
                Copied = Number(root, "copied"),
                Bytes = Number(root, "bytes"),
                Estimated = Number(root, "estimated"),
                KeysPerSecond = root.TryGetProperty("keysPerSecond", out var rate) && rate.ValueKind == JsonValueKind.Number ? rate.GetDouble() : 0,
                StartedMs = Number(root, "startedMs"),
                UpdatedMs = Number(root, "updatedMs"),
                Repairer = String(root, "repairer"),
                Note = String(root, "note"),
            };
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            error = e.Message;
            return false;
        }
    }

    private static string String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static long Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;
}
