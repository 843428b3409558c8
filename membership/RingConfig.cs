using System.Buffers;
using System.Text.Json;
using RedisRing.Ring;

namespace RedisRing.Membership;

/// <summary>
/// The data of <c>config</c>: the ring parameters every proxy of the cluster must share,
/// <c>{"version":1,"replicas":2,"hash":"fnv1a_64","distribution":"ketama","hashTag":"{}"}</c>
/// (hashTag "" = none).
/// </summary>
public sealed record RingConfig(int Replicas, string HashTag)
{
    public const string Hash = "fnv1a_64";
    public const string Distribution = "ketama";

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteNumber("replicas", Replicas);
            writer.WriteString("hash", Hash);
            writer.WriteString("distribution", Distribution);
            writer.WriteString("hashTag", HashTag);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses and validates; the only hash and distribution supported are fnv1a_64 and ketama.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RingConfig config, out string error)
    {
        config = null!;
        try
        {
            using var document = JsonDocument.Parse(data.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return false;
            }

            if (!root.TryGetProperty("replicas", out var replicasValue) || replicasValue.ValueKind != JsonValueKind.Number || !replicasValue.TryGetInt32(out var replicas))
            {
                error = "\"replicas\" must be " + RingOptions.ReplicasRule;
                return false;
            }

            if (RingOptions.CheckReplicas(replicas) is { } replicasError)
            {
                error = "\"replicas\" " + replicasError;
                return false;
            }

            if (root.TryGetProperty("hash", out var hash) && (hash.ValueKind != JsonValueKind.String || hash.GetString() != Hash))
            {
                error = $"\"hash\" must be {Hash}";
                return false;
            }

            if (root.TryGetProperty("distribution", out var distribution) && (distribution.ValueKind != JsonValueKind.String || distribution.GetString() != Distribution))
            {
                error = $"\"distribution\" must be {Distribution}";
                return false;
            }

            var hashTag = root.TryGetProperty("hashTag", out var tag) && tag.ValueKind == JsonValueKind.String ? tag.GetString()! : "{}";
            if (hashTag.Length is not (0 or 2))
            {
                error = "\"hashTag\" must be two characters or empty";
                return false;
            }

            config = new RingConfig(replicas, hashTag);
            error = string.Empty;
            return true;
        }
        catch (JsonException e)
        {
            error = "not valid JSON: " + e.Message;
            return false;
        }
    }
}
