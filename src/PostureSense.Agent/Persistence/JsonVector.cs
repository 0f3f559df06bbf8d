using System.Numerics;
using System.Text.Json;

namespace PostureSense.Agent.Persistence;

/// <summary>A vector in the agent's calibration files: a JSON array of three finite numbers.</summary>
static class JsonVector
{
    public static void Write(Utf8JsonWriter json, string name, Vector3 v)
    {
        json.WriteStartArray(name);
        json.WriteNumberValue(v.X);
        json.WriteNumberValue(v.Y);
        json.WriteNumberValue(v.Z);
        json.WriteEndArray();
    }

    /// <exception cref="InvalidDataException">Not three numbers, or one of them is not finite.</exception>
    public static Vector3 Read(JsonElement parent, string name)
    {
        var array = parent.GetProperty(name);
        if (array.GetArrayLength() != 3) throw new InvalidDataException($"{name} needs 3 numbers");
        var v = new Vector3(array[0].GetSingle(), array[1].GetSingle(), array[2].GetSingle());
        return float.IsFinite(v.X) && float.IsFinite(v.Y) && float.IsFinite(v.Z) ? v : throw new InvalidDataException($"{name} is not finite");
    }
}
