using System.Text;
using PostureSense.Core.Contract;

namespace PostureSense.Core.Tests.Contract;

public class CommandContractTests
{
    /// <summary>Just after the design example's command: every example timestamp is in the window.</summary>
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1795478460120 + 1000);

    [Fact]
    public void The_design_example_command_round_trips()
    {
        const string json = """{"v":1,"id":"c-7f3a","type":"stretch","ts":1795478460000,"reason":"hunch","exercise":"cat-cow","pattern":"double"}""";
        var parsed = WireFormat.ParseCommand(Encoding.UTF8.GetBytes(json), Now);

        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal(new DeviceCommand(1, "c-7f3a", "stretch", 1795478460000, "hunch", "cat-cow", "double"), parsed.Value);
        Assert.Equal(json, Encoding.UTF8.GetString(WireFormat.Serialize(parsed.Value!)));
    }

    [Fact]
    public void A_calibrate_command_carries_no_optional_fields()
    {
        var json = Encoding.UTF8.GetString(WireFormat.Serialize(new DeviceCommand(1, "c-1", "calibrate", 1795478460000)));
        Assert.Equal("""{"v":1,"id":"c-1","type":"calibrate","ts":1795478460000}""", json);
        Assert.True(WireFormat.ParseCommand(Encoding.UTF8.GetBytes(json), Now).Ok);
    }

    [Theory]
    [InlineData("""{"v":1,"id":"c-1","type":"stretch","ts":5,"reason":"boredom","exercise":"cat-cow","pattern":"double"}""", "reason 'boredom'")]
    [InlineData("""{"v":1,"id":"c-1","type":"stretch","ts":5,"reason":"hunch","exercise":"yoga","pattern":"double"}""", "exercise 'yoga'")]
    [InlineData("""{"v":1,"id":"c-1","type":"stretch","ts":5,"reason":"hunch","exercise":"cat-cow"}""", "pattern ''")]
    [InlineData("""{"v":1,"id":"c-1","type":"vibrate","ts":5,"pattern":"buzz"}""", "pattern 'buzz'")]
    [InlineData("""{"v":1,"id":"c-1","type":"reboot","ts":5}""", "type 'reboot' is unknown")]
    [InlineData("""{"v":1,"id":"","type":"calibrate","ts":5}""", "id must be")]
    [InlineData("""{"v":1,"type":"calibrate","ts":5}""", "malformed JSON")]
    [InlineData("""{"v":1,"id":null,"type":"calibrate","ts":5}""", "malformed JSON")]
    [InlineData("""{"v":9,"id":"c-1","type":"calibrate","ts":5}""", "unsupported version v=9")]
    public void A_bad_command_is_rejected_with_its_reason(string json, string reason)
    {
        var parsed = WireFormat.ParseCommand(Encoding.UTF8.GetBytes(json), Now);
        Assert.False(parsed.Ok);
        Assert.Contains(reason, parsed.Error);
    }

    [Theory]
    [InlineData("received")]
    [InlineData("done")]
    [InlineData("dismissed")]
    public void Acks_of_each_status_round_trip(string status)
    {
        var ack = new CommandAck(1, "c-7f3a", status, 1795478460120);
        Assert.Equal(ack, WireFormat.ParseAck(WireFormat.Serialize(ack), Now).Value);
    }

    [Fact]
    public void A_done_ack_carries_the_counted_reps_and_timed_holds()
    {
        const string json = """{"v":1,"id":"c-7f3a","status":"done","ts":1795478460120,"exercise":"cat-cow","reps":12,"holdsS":[22.5,24]}""";
        var parsed = WireFormat.ParseAck(Encoding.UTF8.GetBytes(json), Now);

        Assert.True(parsed.Ok, parsed.Error);
        var ack = parsed.Value!;
        Assert.Equal(("done", "cat-cow", 12), (ack.Status, ack.Exercise, ack.Reps));
        Assert.Equal([22.5, 24.0], ack.HoldsS!);
        Assert.Equal(json, Encoding.UTF8.GetString(WireFormat.Serialize(ack)));
    }

    [Fact]
    public void An_ack_without_a_stretch_result_stays_as_it_was()
    {
        var json = Encoding.UTF8.GetString(WireFormat.Serialize(new CommandAck(1, "c-1", "received", 5)));
        Assert.Equal("""{"v":1,"id":"c-1","status":"received","ts":5}""", json);
    }

    [Theory]
    [InlineData("""{"v":1,"id":"c-1","status":"maybe","ts":5}""", "status 'maybe'")]
    [InlineData("""{"v":1,"id":"c-1","status":"done","ts":5,"reps":-1}""", "reps -1 is outside 0-1000")]
    [InlineData("""{"v":1,"id":"c-1","status":"done","ts":5,"reps":1001}""", "reps 1001 is outside 0-1000")]
    [InlineData("""{"v":1,"id":"c-1","status":"done","ts":5,"reps":2.5}""", "malformed JSON")]
    [InlineData("""{"v":1,"id":"c-1","status":"done","ts":5,"holdsS":[20,601]}""", "hold 601 s is outside 0-600 s")]
    [InlineData("""{"v":1,"id":"c-1","status":"done","ts":5,"holdsS":[-0.5]}""", "hold -0.5 s is outside")]
    [InlineData("""{"v":1,"id":"c-1","status":"done","ts":5,"holdsS":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}""", "21 holds is more than 20")]
    [InlineData("""{"v":1,"id":"c-1","status":"done","ts":5,"holdsS":"long"}""", "malformed JSON")]
    [InlineData("""{"v":1,"id":"c-1","status":"done","ts":5,"exercise":"yoga","reps":3}""", "exercise 'yoga'")]
    [InlineData("""{"v":1,"id":"c-1","ts":5}""", "malformed JSON")]
    [InlineData("""{"v":3,"id":"c-1","status":"done","ts":5}""", "unsupported version v=3")]
    public void A_bad_ack_is_rejected(string json, string reason)
    {
        var parsed = WireFormat.ParseAck(Encoding.UTF8.GetBytes(json), Now);
        Assert.False(parsed.Ok);
        Assert.Contains(reason, parsed.Error);
    }

    [Fact]
    public void Status_and_its_will_message_parse()
    {
        var online = WireFormat.ParseStatus("""{"v":1,"online":true,"fw":"1.0.0","calibrated":true,"ts":1795478460120}"""u8, Now);
        var will = WireFormat.ParseStatus("""{"v":1,"online":false}"""u8, Now);

        Assert.Equal(new DeviceStatus(1, true, "1.0.0", true, 1795478460120), online.Value);
        Assert.Equal(new DeviceStatus(1, false), will.Value);
        Assert.Equal("""{"v":1,"online":false}""", Encoding.UTF8.GetString(WireFormat.Serialize(will.Value!)));
    }

    [Fact]
    public void Status_carries_the_outbox_depth_the_batches_dropped_and_the_sensors_health()
    {
        var status = new DeviceStatus(1, true, "1.0.0", true, 1795478460120, Outbox: 12, Dropped: 3, Sensor: "stuck");
        var json = Encoding.UTF8.GetString(WireFormat.Serialize(status));

        Assert.EndsWith(""","outbox":12,"dropped":3,"sensor":"stuck"}""", json);
        Assert.Equal(status, WireFormat.ParseStatus(Encoding.UTF8.GetBytes(json), Now).Value);
        Assert.Contains("cannot be negative", WireFormat.ParseStatus("""{"v":1,"online":true,"outbox":-1}"""u8, Now).Error);
    }

    [Fact]
    public void Status_says_which_config_the_device_uses()
    {
        var status = new DeviceStatus(1, true, Ts: 1795478460120, ConfigTs: 1795478400000);
        var json = Encoding.UTF8.GetString(WireFormat.Serialize(status));

        Assert.EndsWith(""","configTs":1795478400000}""", json);
        Assert.Equal(status, WireFormat.ParseStatus(Encoding.UTF8.GetBytes(json), Now).Value);
        Assert.Contains("cannot be negative", WireFormat.ParseStatus("""{"v":1,"online":true,"configTs":-5}"""u8, Now).Error);
    }

    [Fact]
    public void A_status_without_online_is_rejected()
    {
        Assert.Contains("malformed JSON", WireFormat.ParseStatus("""{"v":1,"fw":"1.0.0"}"""u8, Now).Error);
    }
}
