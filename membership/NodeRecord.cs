using System.Buffers;
using System.Text.Json;

namespace RedisRing.Membership;

/// <summary>
/// The member record of one node, the data of its persistent <c>nodes/&lt;host&gt;:&lt;port&gt;</c> znode:
/// <c>{"version":2,"address":"10.0.0.1:6379","weight":1,"state":"joining","runId":"...","reason":"new node"}</c>.
/// <see cref="RunId"/> is the identity of the member's data (docs/zookeeper.md, "Membership is not
/// liveness"); it is empty only for an initial node of a new cluster that has not registered yet.
/// </summary>
public sealed record NodeRecord(NodeAddress Address, int Weight, NodeState State, string RunId, string Reason = "")
{
    /// <summary>The format written by this code. Readers accept any version from 1 on: newer writers only add fields.</summary>
    public const int FormatVersion = 2;

    /// <summary>Longest <see cref="Reason"/> written; longer ones are cut.</summary>
    public const int MaxReasonLength = 200;

    /// <summary>An initial node of a brand-new cluster before its first registration: <c>up</c> without a run_id.</summary>
    public bool AwaitsFirstRegistration => State == NodeState.Up && RunId.Length == 0;

    /// <summary>Largest weight accepted (the ring multiplies points by it).</summary>
    public const int MaxWeight = 1000;

    public NodeRecord With(NodeState state) => this with { State = state };

    /// <summary>This record in <paramref name="state"/> for the data of <paramref name="runId"/>, with the reason shown to operators.</summary>
    public NodeRecord With(NodeState state, string runId, string reason) =>
        this with { State = state, RunId = runId, Reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason };

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteString("address", Address.ToString());
            writer.WriteNumber("weight", Weight);
            writer.WriteString("state", State.ToJson());
            writer.WriteString("runId", RunId);
            if (Reason.Length > 0)
            {
                writer.WriteString("reason", Reason);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Parses and validates a node znode. <paramref name="znodeName"/> must equal the address in
    /// the data, so one node can never appear under two names. Never throws on bad data.
    /// </summary>
    public static bool TryParse(string znodeName, ReadOnlySpan<byte> data, out NodeRecord record, out string error)
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

            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v < 1)
            {
                error = "missing or bad \"version\"";
                return false;
            }

            if (!root.TryGetProperty("address", out var addressText) || addressText.ValueKind != JsonValueKind.String
                || !NodeAddress.TryParse(addressText.GetString(), out var address, out var addressError))
            {
                error = "bad \"address\"" + (addressText.ValueKind == JsonValueKind.String ? ": " + AddressError(addressText.GetString()) : string.Empty);
                return false;
            }

            if (address.ToString() != znodeName)
            {
                error = $"address {address} does not match the znode name {znodeName}";
                return false;
            }

            var weight = 1;
            if (root.TryGetProperty("weight", out var weightValue) && (weightValue.ValueKind != JsonValueKind.Number || !weightValue.TryGetInt32(out weight) || weight is < 1 or > MaxWeight))
            {
                error = $"\"weight\" must be an integer in 1..{MaxWeight}";
                return false;
            }

            if (!root.TryGetProperty("state", out var stateText) || stateText.ValueKind != JsonValueKind.String
                || !NodeStates.TryParse(stateText.GetString(), out var state))
            {
                error = "missing or unknown \"state\" (joining, up, leaving)";
                return false;
            }

            var runId = root.TryGetProperty("runId", out var runIdValue) && runIdValue.ValueKind == JsonValueKind.String ? runIdValue.GetString()! : string.Empty;
            var reason = root.TryGetProperty("reason", out var reasonValue) && reasonValue.ValueKind == JsonValueKind.String ? reasonValue.GetString()! : string.Empty;
            record = new NodeRecord(address, weight, state, runId, reason);
            error = string.Empty;
            return true;
        }
        catch (JsonException e)
        {
            error = "not JSON: " + e.Message;
            return false;
        }
    }

    private static string AddressError(string? text)
    {
        NodeAddress.TryParse(text, out _, out var error);
        return error;
    }
}
