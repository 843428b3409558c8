using System.Text.Json.Serialization;

namespace RedisRing.Proxy.RingSources;

/// <summary>The whole <see cref="StaticNodeStateFile"/>: a format version and the nodes by address.</summary>
internal sealed record StateDocument(int Version, IDictionary<string, NodeStateRecord> Nodes);

/// <summary>Source-generated JSON for the state file (no reflection at start-up).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(StateDocument))]
internal sealed partial class StateFileJson : JsonSerializerContext;
