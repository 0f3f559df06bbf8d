using PostureSense.Storage.Influx;

namespace PostureSense.Server.Tests.Storage;

public class LineProtocolTests
{
    static string Line(Action<LineProtocolWriter> write)
    {
        var writer = new LineProtocolWriter();
        write(writer);
        return writer.Output.ToString();
    }

    [Fact]
    public void A_point_has_sorted_tags_typed_fields_and_a_millisecond_timestamp()
    {
        var line = Line(w => w.Measurement("posture").Tag("device", "desk-1").Tag("Zone", "eu").Tag("a", "1")
            .Field("pitch", 24.6).Field("steps", 3L).Field("ok", true).Field("note", "hi").End(1795478400000));
        // Ordinal order puts upper case first, as Go's bytes.Compare does.
        Assert.Equal("posture,Zone=eu,a=1,device=desk-1 pitch=24.6,steps=3i,ok=true,note=\"hi\" 1795478400000\n", line);
    }

    [Fact]
    public void Names_keys_and_values_escape_what_the_spec_says_each_must()
    {
        var line = Line(w => w.Measurement("my m,x=y").Tag("t k,=", "v a,l=ue\\x").Field("f k,=", "say \"hi\" \\ there").End(1));
        Assert.Equal("my\\ m\\,x=y,t\\ k\\,\\==v\\ a\\,l\\=ue\\x f\\ k\\,\\==\"say \\\"hi\\\" \\\\ there\" 1\n", line);
    }

    [Fact]
    public void A_string_field_keeps_its_newlines_inside_the_quotes()
    {
        Assert.Equal("m s=\"one\ntwo\" 5\n", Line(w => w.Measurement("m").Field("s", "one\ntwo").End(5)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_numbers_are_never_written(double value)
    {
        Assert.Equal("m ok=1 7\n", Line(w => w.Measurement("m").Field("bad", value).Field("ok", 1.0).End(7)));
    }

    [Fact]
    public void A_point_left_without_fields_is_dropped_whole()
    {
        var writer = new LineProtocolWriter();
        Assert.False(writer.Measurement("m").Tag("device", "a").Field("x", double.NaN).End(1));
        Assert.True(writer.Measurement("m").Field("x", 2.0).End(2));
        Assert.Equal("m x=2 2\n", writer.Output.ToString());
        Assert.Equal(1, writer.Points);
    }

    [Fact]
    public void Empty_tag_values_are_left_out()
    {
        Assert.Equal("m x=1i 1\n", Line(w => w.Measurement("m").Tag("t", "").Tag("u", null).Field("x", 1L).End(1)));
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData("ends with\\")]
    public void A_tag_value_that_cannot_be_read_back_exactly_is_refused(string value)
    {
        var writer = new LineProtocolWriter();
        var error = Assert.Throws<ArgumentException>(() => writer.Measurement("m").Tag("t", value));
        Assert.Contains("tag value", error.Message);
    }

    [Fact]
    public void Doubles_are_written_in_invariant_round_trip_form()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal("m x=0.1,y=-1E-05 1\n", Line(w => w.Measurement("m").Field("x", 0.1).Field("y", -0.00001).End(1)));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}
