using System.Text.Json.Serialization;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Contract;

// Source generated so that the agent can be trimmed and the server parses without reflection.
// Required constructor parameters and nullable annotations are enforced: a missing field or a
// null where the contract has none is a parse error, not a silent zero.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(TelemetryBatch))]
[JsonSerializable(typeof(DeviceCommand))]
[JsonSerializable(typeof(CommandAck))]
[JsonSerializable(typeof(DeviceStatus))]
[JsonSerializable(typeof(DeviceConfig))]
[JsonSerializable(typeof(PostureFrame))]
internal sealed partial class ContractJsonContext : JsonSerializerContext;
