using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using PostureSense.Core.Contract;
using PostureSense.Server.Metrics;

namespace PostureSense.TestSupport.Fuzzing;

/// <summary>A payload after a mutation, and the rejection reason the mutation must cause when it is certain of one.</summary>
public sealed record Mutated(byte[] Payload, string? Intended);

/// <summary>
/// Ways to break a valid payload. Each has a name (shown in failure reports) and, where the outcome
/// does not depend on the random draw, the reason the server must count: a byte flip can land
/// anywhere, an extra field is allowed, but a payload over the limit is always "oversized".
/// </summary>
public sealed record Mutation(string Name, Func<PCG, byte[], string, Mutated> Apply)
{
    /// <param name="kind">The topic suffix the valid payload was made for (telemetry, status, ack, ...).</param>
    public static IReadOnlyList<Mutation> All { get; } =
    [
        new("byte-flip", (p, b, _) => new(FlipBytes(p, b), null)),
        new("truncate", (p, b, _) => new(b[..p.Below(b.Length)], null)),
        new("huge-number", (p, b, _) => new(SetNumber(p, b, p.Pick("1e308", "-1e308", "1.7976931348623157e309", "99999999999999999999999", "-9223372036854775809", "1e-400")), null)),
        new("negative-number", (p, b, _) => new(SetNumber(p, b, p.Pick("-1", "-0.0001", "-2147483648", "-9223372036854775808")), null)),
        // JSON has no NaN or Infinity: the reader refuses the bare tokens, and numbers only read from numbers.
        new("nan", (p, b, _) => new(SetNumber(p, b, p.Pick("NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"")), null)),
        new("wrong-type", (p, b, _) => new(Edit(p, b, (node, key) => node[key] = WrongType(p)), null)),
        new("extra-field", (p, b, _) => new(Edit(p, b, (node, _) => node["x" + p.Below(1000)] = WrongType(p)), null)),
        new("missing-field", (p, b, _) => new(Edit(p, b, (node, key) => node.Remove(key)), null)),
        // Past the reader's depth limit of 64; written as text, since a JsonNode that deep cannot be built.
        new("deep-nesting", (p, b, _) => new(Replace(Edit(p, b, (node, key) => node[key] = Placeholder), "\"" + Placeholder + "\"", Nest(65 + p.Below(1000))), RejectionReasons.MalformedJson)),
        new("invalid-utf8", (p, b, _) => new(InvalidUtf8(p, b), null)),
        new("oversized", (p, b, kind) => new(Oversize(p, b, kind), RejectionReasons.Oversized)),
        new("wrong-version", (p, b, _) => new(EditRoot(b, root => root["v"] = p.Pick(0, 2, 99, -1)), RejectionReasons.UnsupportedVersion)),
        new("not-an-object", (p, _, _) => new(Encoding.UTF8.GetBytes(p.Pick("[]", "null", "0", "\"telemetry\"", "true", "{", "}", "[{}]", "{\"v\":1}{\"v\":1}", " ")), null)),
        new("random-bytes", (p, _, _) => new(RandomBytes(p, 1 + p.Below(512)), null)),
        new("empty", (_, _, _) => new([], null)),
    ];

    static byte[] FlipBytes(PCG p, byte[] b)
    {
        var copy = (byte[])b.Clone();
        if (copy.Length == 0) return copy;
        for (var n = 1 + p.Below(4); n > 0; n--) copy[p.Below(copy.Length)] ^= (byte)(1 << p.Below(8));
        return copy;
    }

    /// <summary>Replaces one number in the JSON text with <paramref name="text"/>.</summary>
    static byte[] SetNumber(PCG p, byte[] b, string text)
    {
        var json = Encoding.UTF8.GetString(b);
        var numbers = System.Text.RegularExpressions.Regex.Matches(json, @"(?<=:)-?[0-9][0-9.eE+-]*");
        if (numbers.Count == 0) return b;
        var m = numbers[p.Below(numbers.Count)];
        return Encoding.UTF8.GetBytes(json[..m.Index] + text + json[(m.Index + m.Length)..]);
    }

    /// <summary>Applies <paramref name="edit"/> to a random object in the document and one of its keys.</summary>
    static byte[] Edit(PCG p, byte[] b, Action<JsonObject, string> edit)
    {
        var root = JsonNode.Parse(b)!;
        var objects = new List<JsonObject>();
        Collect(root, objects);
        var target = objects[p.Below(objects.Count)];
        var keys = target.Select(kv => kv.Key).ToList();
        edit(target, keys.Count == 0 ? "v" : keys[p.Below(keys.Count)]);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    static byte[] EditRoot(byte[] b, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(b)!.AsObject();
        edit(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    const string Placeholder = "__placeholder__";

    static byte[] Replace(byte[] b, string what, string with) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace(what, with, StringComparison.Ordinal));

    static void Collect(JsonNode? node, List<JsonObject> into)
    {
        if (node is JsonObject o) { into.Add(o); foreach (var kv in o) Collect(kv.Value, into); }
        else if (node is JsonArray a) foreach (var item in a) Collect(item, into);
    }

    static JsonNode? WrongType(PCG p) => p.Below(8) switch
    {
        0 => null,
        1 => JsonValue.Create("text"),
        2 => JsonValue.Create(true),
        3 => new JsonArray(1, 2, 3),
        4 => new JsonObject { ["a"] = 1 },
        5 => JsonValue.Create(1.5),
        6 => JsonValue.Create(new string('x', p.Below(3000))),
        _ => JsonValue.Create(long.MaxValue),
    };

    static string Nest(int depth) => new string('[', depth) + new string(']', depth);

    static byte[] InvalidUtf8(PCG p, byte[] b)
    {
        byte[][] bad = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80]];
        var at = p.Below(b.Length + 1);
        return [.. b[..at], .. bad[p.Below(bad.Length)], .. b[at..]];
    }

    /// <summary>Over the topic's limit (16 KiB telemetry, 4 KiB otherwise) by up to 48 KiB: whitespace, so only the size is wrong.</summary>
    static byte[] Oversize(PCG p, byte[] b, string kind)
    {
        var limit = kind == Topics.Telemetry ? ContractLimits.MaxTelemetryBytes : ContractLimits.MaxCommandBytes;
        var padding = limit - b.Length + 1 + p.Below(48 * 1024);
        return [.. b, .. Enumerable.Repeat((byte)' ', Math.Max(1, padding))];
    }

    internal static byte[] RandomBytes(PCG p, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = (byte)p.Below(256);
        return bytes;
    }
}

static class PcgExtensions
{
    public static int Below(this PCG pcg, int bound) => bound <= 0 ? 0 : (int)pcg.Next((uint)bound);
    public static T Pick<T>(this PCG pcg, params T[] choices) => choices[pcg.Below(choices.Length)];
}
