using System.Buffers;
using System.Text.Json;

namespace RedisRing.Membership;

/// <summary>
/// The data of a node's ephemeral <c>live/&lt;host&gt;:&lt;port&gt;</c> znode:
/// <c>{"version":1,"address":"10.0.0.1:6379","runId":"..."}</c>. It exists while the node's
/// registrar (or patched Redis) has a session and finds Redis healthy; a liveness znode whose
/// run_id differs from the member's counts as absent.
/// </summary>
public sealed record LivenessRecord(NodeAddress Address, string RunId)
{
    public const int FormatVersion = 1;

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteString("address", Address.ToString());
            writer.WriteString("runId", RunId);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a liveness znode; the address must equal the znode name. Never throws on bad data.</summary>
    public static bool TryParse(string znodeName, ReadOnlySpan<byte> data, out LivenessRecord record, out string error)
    {
        record = null!;
        try
        {
            using var document = JsonDocument.Parse(data.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return false;
            }

            if (!root.TryGetProperty("address", out var addressText) || addressText.ValueKind != JsonValueKind.String
                || !NodeAddress.TryParse(addressText.GetString(), out var address, out _) || address.ToString() != znodeName)
            {
                error = "missing \"address\" or one that differs from the znode name " + znodeName;
                return false;
            }

            if (!root.TryGetProperty("runId", out var runId) || runId.ValueKind != JsonValueKind.String || runId.GetString()!.Length == 0)
            {
                error = "missing \"runId\"";
                return false;
            }

            record = new LivenessRecord(address, runId.GetString()!);
            error = string.Empty;
            return true;
        }
        catch (JsonException e)
        {
            error = "not JSON: " + e.Message;
            return false;
        }
    }
}
