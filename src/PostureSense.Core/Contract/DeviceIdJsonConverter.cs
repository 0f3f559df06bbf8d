using System.Text.Json;
using System.Text.Json.Serialization;

namespace PostureSense.Core.Contract;

/// <summary>A device id is a plain JSON string; reading one applies the rule, as every other way in does.</summary>
public sealed class DeviceIdJsonConverter : JsonConverter<DeviceId>
{
    public override DeviceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("a device id must be a JSON string");
        var text = reader.GetString();
        return DeviceId.TryParse(text, out var id) ? id : throw new JsonException(DeviceId.NotValidMessage(text));
    }

    public override void Write(Utf8JsonWriter writer, DeviceId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);

    // So that a dictionary keyed by device id serializes as an object keyed by the plain id.
    public override DeviceId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return DeviceId.TryParse(text, out var id) ? id : throw new JsonException(DeviceId.NotValidMessage(text));
    }

    public override void WriteAsPropertyName(Utf8JsonWriter writer, DeviceId value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.Value);
}
