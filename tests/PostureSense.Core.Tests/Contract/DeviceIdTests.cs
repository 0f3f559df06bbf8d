using System.Text.Json;
using PostureSense.Core.Contract;

namespace PostureSense.Core.Tests.Contract;

public class DeviceIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0-desk")]
    [InlineData("pi-zero-2w-kitchen")]
    [InlineData("desk-")]
    public void A_valid_id_parses_to_itself(string text)
    {
        Assert.True(DeviceId.TryParse(text, out var id));
        Assert.Equal(text, id.ToString());
        Assert.Equal(text, DeviceId.Parse(text).Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Desk")]
    [InlineData("desk_1")]
    [InlineData("desk 1")]
    [InlineData("-desk")]
    [InlineData("a\n")]
    [InlineData(" a")]
    [InlineData(null)]
    public void An_invalid_id_does_not_parse(string? text)
    {
        Assert.False(DeviceId.TryParse(text, out var id));
        Assert.True(id.IsEmpty);
        var error = Assert.Throws<ArgumentException>(() => DeviceId.Parse(text));
        Assert.Equal($"device id '{text}' is not valid: use 1-63 lowercase letters, digits or '-', starting with a letter or digit", error.Message);
    }

    [Fact]
    public void An_id_has_at_most_63_characters()
    {
        Assert.True(DeviceId.TryParse(new string('a', 63), out _));
        Assert.False(DeviceId.TryParse(new string('a', 64), out _));
    }

    [Fact]
    public void The_error_names_what_was_parsed() =>
        Assert.StartsWith("--device-id 'Bad' is not valid", Assert.Throws<ArgumentException>(() => DeviceId.Parse("Bad", "--device-id")).Message);

    [Fact]
    public void The_short_message_states_the_same_rule() =>
        Assert.Equal("'Bad' is not a device id; use 1-63 lowercase letters, digits or '-'", DeviceId.NotAnIdMessage("Bad"));

    [Fact]
    public void The_default_value_is_no_id_and_cannot_be_used_as_one()
    {
        var none = default(DeviceId);
        Assert.True(none.IsEmpty);
        Assert.False(DeviceId.Parse("a").IsEmpty);
        Assert.Throws<InvalidOperationException>(() => none.Value);
        Assert.Throws<InvalidOperationException>(() => none.ToString());
        Assert.Throws<InvalidOperationException>(() => JsonSerializer.Serialize(none));
    }

    [Fact]
    public void Equal_ids_are_one_dictionary_key()
    {
        var seen = new Dictionary<DeviceId, int> { [DeviceId.Parse("desk-1")] = 1 };
        seen[DeviceId.Parse("desk-" + 1)] += 1;
        Assert.Equal(2, Assert.Single(seen).Value);
        Assert.Equal(DeviceId.Parse("desk-1"), DeviceId.Parse("desk-1"));
        Assert.NotEqual(DeviceId.Parse("desk-1"), DeviceId.Parse("desk-2"));
        Assert.NotEqual(DeviceId.Parse("a"), default);
    }

    [Fact]
    public void In_JSON_an_id_is_a_plain_string()
    {
        var json = JsonSerializer.Serialize(new { DeviceId = DeviceId.Parse("desk-1") });
        Assert.Equal("""{"DeviceId":"desk-1"}""", json);
        Assert.Equal(DeviceId.Parse("desk-1"), JsonSerializer.Deserialize<DeviceId>("\"desk-1\""));
        Assert.Equal("""{"desk-1":3}""", JsonSerializer.Serialize(new Dictionary<DeviceId, int> { [DeviceId.Parse("desk-1")] = 3 }));
        Assert.Equal(3, JsonSerializer.Deserialize<Dictionary<DeviceId, int>>("""{"desk-1":3}""")![DeviceId.Parse("desk-1")]);
    }

    [Theory]
    [InlineData("\"Desk\"")]
    [InlineData("\"\"")]
    [InlineData("12")]
    [InlineData("null")]
    public void JSON_that_is_not_a_valid_id_is_refused(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DeviceId>(json));

    [Fact]
    public void It_parses_through_the_generic_parsing_interfaces()
    {
        Assert.Equal("desk-1", ParseAs<DeviceId>("desk-1").Value);
        Assert.False(TryParseAs<DeviceId>("Desk", out _));
        Assert.True(TryParseSpanAs<DeviceId>("desk-1".AsSpan(), out var id));
        Assert.Equal("desk-1", id.Value);
    }

    static T ParseAs<T>(string s) where T : IParsable<T> => T.Parse(s, null);
    static bool TryParseAs<T>(string s, out T result) where T : IParsable<T> => T.TryParse(s, null, out result!);
    static bool TryParseSpanAs<T>(ReadOnlySpan<char> s, out T result) where T : ISpanParsable<T> => T.TryParse(s, null, out result!);
}
