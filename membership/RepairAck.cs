using System.Buffers;
using System.Text.Json;

namespace RedisRing.Membership;

/// <summary>
/// One proxy's ephemeral znode <c>repair/acks/&lt;host&gt;:&lt;port&gt;</c>: for each warm-up job, the
/// generation whose writes it records (<see cref="Tracking"/>) and the generation whose recorded
/// keys it has copied again (<see cref="Drained"/>). The repairer copies only once every proxy
/// listed under <c>proxies/</c> tracks the generation, and promotes only once every one drained it.
/// </summary>
public sealed record RepairAck(string Proxy, IReadOnlyDictionary<string, long> Tracking, IReadOnlyDictionary<string, long> Drained)
{
    public const int FormatVersion = 1;

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteString("proxy", Proxy);
            Write(writer, "tracking", Tracking);
            Write(writer, "drained", Drained);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static bool TryParse(ReadOnlySpan<byte> data, out RepairAck ack)
    {
        ack = null!;
        try
        {
            using var document = JsonDocument.Parse(data.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("proxy", out var proxy) || proxy.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            ack = new RepairAck(proxy.GetString()!, Read(root, "tracking"), Read(root, "drained"));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void Write(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, long> generations)
    {
        writer.WriteStartObject(name);
        foreach (var (node, generation) in generations.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(node, generation);
        }

        writer.WriteEndObject();
    }

    private static Dictionary<string, long> Read(JsonElement root, string name)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (root.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in map.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var generation))
                {
                    result[property.Name] = generation;
                }
            }
        }

        return result;
    }
}
