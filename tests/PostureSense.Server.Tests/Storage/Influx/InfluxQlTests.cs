using PostureSense.Storage.Influx;

namespace PostureSense.Server.Tests.Storage.Influx;

public sealed class InfluxQlTests
{
    [Theory]
    [InlineData("desk-1", "'desk-1'")]
    [InlineData("it's", @"'it\'s'")]
    [InlineData(@"back\slash", @"'back\\slash'")]
    [InlineData("two\nlines", @"'two\nlines'")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    public void String_literals_escape_what_the_influxql_scanner_reads(string value, string expected) =>
        Assert.Equal(expected, InfluxQl.Literal(value));

    [Fact]
    public void Identifiers_escape_double_quotes() => Assert.Equal("\"a\\\"b\"", InfluxQl.Identifier("a\"b"));

    [Fact]
    public void Time_ranges_are_in_milliseconds_and_clamped_to_what_influxdb_stores()
    {
        Assert.Equal("time >= 1000ms AND time < 2000ms", InfluxQl.TimeRange(1000, 2000));
        Assert.Equal("time >= 0ms AND time < 9223372036853ms", InfluxQl.TimeRange(long.MinValue, long.MaxValue));
        Assert.True(InfluxQl.IsEmptyRange(2000, 2000));
        Assert.True(InfluxQl.IsEmptyRange(-5000, 0));
    }
}
