using System.Text.Json.Serialization;

namespace RedisRing.Captcha.State;

/// <summary>Source-generated serializers for the records stored in Redis.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ChallengeRecord))]
[JsonSerializable(typeof(PassRecord))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
