using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace PostureSense.Core.Contract;

/// <summary>
/// A device id as the wire contract allows it: <c>^[a-z0-9][a-z0-9-]{0,62}$</c>. It is parsed once
/// where an id comes in (a topic, a route, an option, a store row), so everything inside can rely on it.
/// </summary>
/// <remarks>
/// <c>default(DeviceId)</c> holds no id. It is not treated as a valid id: <see cref="Value"/> and
/// <see cref="ToString"/> throw for it, so an id that was never parsed fails loudly where it is first
/// used (a topic, a query, a log line) instead of going out as an empty string. <see cref="IsEmpty"/>
/// tells it apart without throwing.
/// </remarks>
[JsonConverter(typeof(DeviceIdJsonConverter))]
public readonly partial record struct DeviceId : ISpanParsable<DeviceId>
{
    /// <summary>The rule in the words every message about a bad id uses.</summary>
    public const string Rule = "1-63 lowercase letters, digits or '-'";

    // \z, not $: $ would let a trailing newline through.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    readonly string? _value;

    DeviceId(string value) => _value = value;

    /// <summary>The id as it goes on the wire, in topics and into stores.</summary>
    public string Value => _value ?? throw new InvalidOperationException("This device id was never parsed (default value).");

    /// <summary>True only for <c>default(DeviceId)</c>, which holds no id.</summary>
    public bool IsEmpty => _value is null;

    public override string ToString() => Value;

    /// <summary>The message for an id that breaks the rule, e.g. "device id 'X' is not valid: use ...".</summary>
    public static string NotValidMessage(string? id, string what = "device id") =>
        $"{what} '{id}' is not valid: use {Rule}, starting with a letter or digit";

    /// <summary>The shorter message the HTTP API and the report use: "'X' is not a device id; use ...".</summary>
    public static string NotAnIdMessage(string? id) => $"'{id}' is not a device id; use {Rule}";

    /// <exception cref="ArgumentException">The id breaks the rule; the message names <paramref name="what"/>.</exception>
    public static DeviceId Parse(string? id, string what = "device id") =>
        TryParse(id, out var parsed) ? parsed : throw new ArgumentException(NotValidMessage(id, what));

    public static bool TryParse([NotNullWhen(true)] string? id, out DeviceId result)
    {
        result = id is not null && Pattern().IsMatch(id) ? new DeviceId(id) : default;
        return !result.IsEmpty;
    }

    static DeviceId IParsable<DeviceId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<DeviceId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DeviceId result) =>
        TryParse(s, out result);

    static DeviceId ISpanParsable<DeviceId>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s.ToString());

    static bool ISpanParsable<DeviceId>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DeviceId result) =>
        TryParse(s.ToString(), out result);
}
