using System.Text;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Tests.Contract;

public class TelemetryContractTests
{
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(Frames.Start + 60_000);

    static ParseResult<ValidatedTelemetry> Parse(string json) => WireFormat.ParseTelemetry(Encoding.UTF8.GetBytes(json), Now);

    static string Frame(long ts, string pitch = "24.6", string roll = "-3.1", string motion = "0.012", string steps = "0") =>
        $$"""{"ts":{{ts}},"pitch":{{pitch}},"roll":{{roll}},"motion":{{motion}},"steps":{{steps}}}""";

    [Fact]
    public void A_batch_survives_the_round_trip_with_every_field()
    {
        var batch = new TelemetryBatch(1, 1842,
        [
            new PostureFrame(Frames.Start, 24.6, -3.1, 0.012, 0),
            new PostureFrame(Frames.Start + 1000, 25.1, -2.9, 0.010, 3),
        ]);
        var result = WireFormat.ParseTelemetry(WireFormat.Serialize(batch), Now);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(1842, result.Value!.Batch.Seq);
        Assert.Equal(batch.Frames, result.Value.Batch.Frames);
        Assert.Empty(result.Value.Rejected);
    }

    [Fact]
    public void The_design_example_parses()
    {
        var result = Parse($$"""{"v":1,"seq":1842,"frames":[{{Frame(Frames.Start)}},{{Frame(Frames.Start + 1000, pitch: "25.1")}}]}""");
        Assert.True(result.Ok, result.Error);
        Assert.Equal(25.1, result.Value!.Batch.Frames[1].Pitch);
    }

    [Fact]
    public void Serialized_field_names_are_the_contracts()
    {
        var json = Encoding.UTF8.GetString(WireFormat.Serialize(new TelemetryBatch(1, 7, [new PostureFrame(Frames.Start, 1, 2, 0.5, 4)])));
        Assert.Equal($$"""{"v":1,"seq":7,"frames":[{"ts":{{Frames.Start}},"pitch":1,"roll":2,"motion":0.5,"steps":4}]}""", json);
    }

    [Fact]
    public void Flexion_is_sent_when_the_agent_has_it_and_read_back()
    {
        var batch = new TelemetryBatch(1, 7, [new PostureFrame(Frames.Start, 18, 14.5, 0.01, 0) { Flexion = 23.1 }]);
        var json = Encoding.UTF8.GetString(WireFormat.Serialize(batch));
        Assert.Contains("\"flexion\":23.1", json);

        var result = WireFormat.ParseTelemetry(WireFormat.Serialize(batch), Now);
        Assert.True(result.Ok, result.Error);
        Assert.Equal(23.1, result.Value!.Batch.Frames[0].Flexion);
        Assert.Equal(23.1, result.Value.Batch.Frames[0].ForwardDeg);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",\"flexion\":null")]
    public void A_frame_without_flexion_is_read_by_its_pitch(string flexion)
    {
        var result = Parse($$"""{"v":1,"seq":1,"frames":[{"ts":{{Frames.Start}},"pitch":24.6,"roll":-3.1,"motion":0.012,"steps":0{{flexion}}}]}""");
        Assert.True(result.Ok, result.Error);
        Assert.Null(result.Value!.Batch.Frames[0].Flexion);
        Assert.Equal(24.6, result.Value.Batch.Frames[0].ForwardDeg);
    }

    [Theory]
    [InlineData("181", "flexion 181 is outside ±180°")]
    [InlineData("-200.5", "flexion -200.5 is outside ±180°")]
    public void A_frame_with_flexion_out_of_range_is_dropped_with_its_reason(string flexion, string reason)
    {
        var result = Parse($$"""{"v":1,"seq":1,"frames":[{"ts":{{Frames.Start}},"pitch":24.6,"roll":-3.1,"motion":0.012,"steps":0,"flexion":{{flexion}}},{{Frame(Frames.Start + 1000)}}]}""");
        Assert.True(result.Ok, result.Error);
        var rejected = Assert.Single(result.Value!.Rejected);
        Assert.Equal(0, rejected.Index);
        Assert.Contains(reason, rejected.Reason);
        Assert.Single(result.Value.Batch.Frames);
    }

    [Theory]
    [InlineData("\"23\"")]
    [InlineData("NaN")]
    public void A_flexion_that_is_not_a_number_is_malformed(string flexion)
    {
        var result = Parse($$"""{"v":1,"seq":1,"frames":[{"ts":{{Frames.Start}},"pitch":24.6,"roll":-3.1,"motion":0.012,"steps":0,"flexion":{{flexion}}}]}""");
        Assert.False(result.Ok);
        Assert.Contains("malformed JSON", result.Error);
    }

    [Theory]
    [InlineData("{\"v\":1,\"seq\":1,\"frames\":[", "malformed JSON")]
    [InlineData("not json at all", "malformed JSON")]
    [InlineData("", "empty payload")]
    [InlineData("null", "JSON null")]
    [InlineData("{\"v\":1,\"frames\":[]}", "malformed JSON")] // seq missing
    [InlineData("{\"v\":1,\"seq\":1}", "malformed JSON")] // frames missing
    [InlineData("{\"v\":1,\"seq\":1,\"frames\":null}", "malformed JSON")]
    [InlineData("{\"v\":1,\"seq\":1,\"frames\":[]}", "1 to 60 frames")]
    [InlineData("{\"v\":1,\"seq\":-4,\"frames\":[{\"ts\":1795478400000,\"pitch\":1,\"roll\":1,\"motion\":0,\"steps\":0}]}", "negative")]
    [InlineData("{\"v\":2,\"seq\":1,\"frames\":[{\"ts\":1795478400000,\"pitch\":1,\"roll\":1,\"motion\":0,\"steps\":0}]}", "unsupported version v=2")]
    [InlineData("{\"v\":2,\"batch\":{}}", "unsupported version v=2")]
    [InlineData("{\"v\":1,\"seq\":1,\"frames\":[{\"ts\":1795478400000,\"pitch\":\"NaN\",\"roll\":1,\"motion\":0,\"steps\":0}]}", "malformed JSON")]
    [InlineData("{\"v\":1,\"seq\":1,\"frames\":[{\"ts\":1795478400000,\"pitch\":NaN,\"roll\":1,\"motion\":0,\"steps\":0}]}", "malformed JSON")]
    [InlineData("{\"v\":1,\"seq\":1,\"frames\":[{\"ts\":1795478400000,\"roll\":1,\"motion\":0,\"steps\":0}]}", "malformed JSON")] // pitch missing
    [InlineData("{\"v\":1,\"seq\":1,\"frames\":[{\"ts\":1795478400000.5,\"pitch\":1,\"roll\":1,\"motion\":0,\"steps\":0}]}", "malformed JSON")]
    public void A_malformed_batch_is_rejected_with_its_reason(string json, string reason)
    {
        var result = Parse(json);
        Assert.False(result.Ok);
        Assert.Contains(reason, result.Error);
    }

    [Fact]
    public void More_than_sixty_frames_is_rejected()
    {
        var frames = string.Join(",", Enumerable.Range(0, 61).Select(i => Frame(Frames.Start + i * 1000L)));
        var result = Parse($$"""{"v":1,"seq":1,"frames":[{{frames}}]}""");
        Assert.False(result.Ok);
        Assert.Contains("this one 61", result.Error);
    }

    [Fact]
    public void An_oversized_payload_is_rejected_before_parsing()
    {
        var payload = new byte[ContractLimits.MaxTelemetryBytes + 1];
        var result = WireFormat.ParseTelemetry(payload, Now);
        Assert.False(result.Ok);
        Assert.Contains("16384 byte limit", result.Error);
    }

    [Fact]
    public void Frames_out_of_time_order_reject_the_batch()
    {
        var result = Parse($$"""{"v":1,"seq":1,"frames":[{{Frame(Frames.Start + 1000)}},{{Frame(Frames.Start)}}]}""");
        Assert.False(result.Ok);
        Assert.Contains("time order", result.Error);
    }

    [Theory]
    [InlineData("500", "0", "0.01", "0", "pitch")]
    [InlineData("-181", "0", "0.01", "0", "pitch")]
    [InlineData("10", "1e6", "0.01", "0", "roll")]
    [InlineData("10", "0", "-0.5", "0", "motion")]
    [InlineData("10", "0", "99", "0", "motion")]
    [InlineData("10", "0", "0.01", "-1", "steps")]
    [InlineData("10", "0", "0.01", "400", "steps")]
    public void An_absurd_frame_is_dropped_and_its_neighbours_kept(string pitch, string roll, string motion, string steps, string field)
    {
        var result = Parse($$"""{"v":1,"seq":1,"frames":[{{Frame(Frames.Start)}},{{Frame(Frames.Start + 1000, pitch, roll, motion, steps)}},{{Frame(Frames.Start + 2000)}}]}""");

        Assert.True(result.Ok, result.Error);
        Assert.Equal([Frames.Start, Frames.Start + 2000], result.Value!.Batch.Frames.Select(f => f.Ts));
        var rejected = Assert.Single(result.Value.Rejected);
        Assert.Equal(1, rejected.Index);
        Assert.StartsWith(field, rejected.Reason);
    }

    [Fact]
    public void A_frame_far_in_the_future_is_dropped()
    {
        var future = Now.AddMinutes(31).ToUnixTimeMilliseconds();
        var result = Parse($$"""{"v":1,"seq":1,"frames":[{{Frame(Frames.Start)}},{{Frame(future)}}]}""");
        Assert.True(result.Ok);
        Assert.Contains("in the future", Assert.Single(result.Value!.Rejected).Reason);
    }

    [Fact]
    public void A_frame_slightly_ahead_of_our_clock_is_kept()
    {
        var ahead = Now.AddMinutes(4).ToUnixTimeMilliseconds();
        var result = Parse($$"""{"v":1,"seq":1,"frames":[{{Frame(ahead)}}]}""");
        Assert.Single(result.Value!.Batch.Frames);
    }

    [Fact]
    public void A_frame_from_a_clock_ten_minutes_fast_is_kept_for_the_server_to_correct()
    {
        var fast = Now.AddMinutes(10).ToUnixTimeMilliseconds();
        var result = Parse($$"""{"v":1,"seq":1,"frames":[{{Frame(fast)}}]}""");
        Assert.Equal([fast], result.Value!.Batch.Frames.Select(f => f.Ts));
    }

    [Fact]
    public void A_frame_from_an_unset_clock_is_dropped()
    {
        var result = Parse($$"""{"v":1,"seq":1,"frames":[{{Frame(86_400_000)}}]}""");
        Assert.Contains("clock is not set", Assert.Single(result.Value!.Rejected).Reason);
        Assert.Empty(result.Value.Batch.Frames);
    }

    [Fact]
    public void Unknown_fields_are_ignored_so_the_contract_can_grow()
    {
        var result = Parse($$"""{"v":1,"seq":3,"fw":"2.0","frames":[{"ts":{{Frames.Start}},"pitch":1,"roll":2,"motion":0,"steps":0,"heart":70}]}""");
        Assert.True(result.Ok, result.Error);
    }
}
