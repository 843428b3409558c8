using System.Buffers;
using System.Text.Json;
using RedisRing.Ring;

namespace RedisRing.Membership;

/// <summary>
/// The data of <c>config</c>: the ring parameters every proxy of the cluster must share,
/// <c>{"version":1,"replicas":2,"hash":"fnv1a_64","distribution":"ketama","hashTag":"{}","downGraceSeconds":60}</c>
/// (hashTag "" = none; downGraceSeconds: how long a member may have no liveness znode before the
/// proxies remove it from the ring, 0 = never).
/// </summary>
public sealed record RingConfig(int Replicas, string HashTag, int DownGraceSeconds = RingConfig.DefaultDownGraceSeconds)
{
    public const string Hash = "fnv1a_64";
    public const string Distribution = "ketama";

    /// <summary>
    /// A minute: long enough for a Redis restart, a registrar restart or a ZooKeeper session
    /// expiry and re-registration (seconds), short enough that a dead machine's keys get their R
    /// copies back soon.
    /// </summary>
    public const int DefaultDownGraceSeconds = 60;

    /// <summary>A week; longer absences are better handled by removing the node by hand.</summary>
    public const int MaxDownGraceSeconds = 604_800;

    /// <summary>The rule for <see cref="DownGraceSeconds"/>, as error text.</summary>
    public static string? CheckDownGraceSeconds(int seconds) =>
        seconds is >= 0 and <= MaxDownGraceSeconds ? null : $"must be an integer in 0..{MaxDownGraceSeconds} (0 = never remove), not {seconds}";

    /// <summary>The grace as a time span; null when members are never removed automatically.</summary>
    public TimeSpan? DownGrace => DownGraceSeconds == 0 ? null : TimeSpan.FromSeconds(DownGraceSeconds);

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
            writer.WriteNumber("downGraceSeconds", DownGraceSeconds);
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

            var downGrace = DefaultDownGraceSeconds;
            if (root.TryGetProperty("downGraceSeconds", out var graceValue)
                && (graceValue.ValueKind != JsonValueKind.Number || !graceValue.TryGetInt32(out downGrace) || CheckDownGraceSeconds(downGrace) is not null))
            {
                error = "\"downGraceSeconds\" " + (CheckDownGraceSeconds(downGrace) ?? $"must be an integer in 0..{MaxDownGraceSeconds}");
                return false;
            }

            config = new RingConfig(replicas, hashTag, downGrace);
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
