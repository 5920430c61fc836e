using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Protocol;

/// <summary>
/// Source-generated System.Text.Json metadata for every contract shape, camelCase as the
/// contract is (no reflection: trimming- and AOT-safe). Use <see cref="FanoutJsonContext.Default"/>,
/// e.g. <c>JsonSerializer.Deserialize(json, FanoutJsonContext.Default.LaggedPayload)</c>.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ConnectedPayload))]
[JsonSerializable(typeof(LaggedPayload))]
[JsonSerializable(typeof(ResetPayload))]
[JsonSerializable(typeof(ShutdownPayload))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(IReadOnlyList<PublishRequest>))]
[JsonSerializable(typeof(PublishAnswer))]
[JsonSerializable(typeof(BatchAnswer))]
[JsonSerializable(typeof(ProblemAnswer))]
public sealed partial class FanoutJsonContext : JsonSerializerContext;
