using System.Text;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Contract;

namespace PostureSense.Core.Tests.Contract;

/// <summary>Every message kind keeps its timestamps in the frames' window, on the receiver's clock.</summary>
public class TimestampWindowTests
{
    readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(Frames.Start));

    long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>How far ahead a device clock may run: 30 min.</summary>
    static long Skew => (long)ContractLimits.MaxFutureSkew.TotalMilliseconds;

    /// <summary>Beyond InfluxDB's nanosecond range (it ends in 2262): the probe that stopped ingestion.</summary>
    const long BeyondInflux = 9_300_000_000_000;

    public static TheoryData<string> Kinds => ["telemetry", "ack", "status", "status-configTs", "command", "config"];

    /// <summary>A message of <paramref name="kind"/> carrying <paramref name="ts"/>; its error, or null when accepted.</summary>
    string? Parse(string kind, long ts)
    {
        var now = _clock.GetUtcNow();
        var ok = Now;
        switch (kind)
        {
            case "telemetry":
                // A lone frame: a batch whose only frame is refused keeps nothing.
                var telemetry = WireFormat.ParseTelemetry(Bytes($$"""{"v":1,"seq":1,"frames":[{"ts":{{ts}},"pitch":1,"roll":0,"motion":0,"steps":0}]}"""), now);
                return telemetry.Error ?? (telemetry.Value!.Rejected.Count > 0 ? telemetry.Value.Rejected[0].Reason : null);
            case "ack":
                return WireFormat.ParseAck(Bytes($$"""{"v":1,"id":"c-1","status":"done","ts":{{ts}}}"""), now).Error;
            case "status":
                return WireFormat.ParseStatus(Bytes($$"""{"v":1,"online":true,"ts":{{ts}}}"""), now).Error;
            case "status-configTs":
                return WireFormat.ParseStatus(Bytes($$"""{"v":1,"online":true,"ts":{{ok}},"configTs":{{ts}}}"""), now).Error;
            case "command":
                return WireFormat.ParseCommand(Bytes($$"""{"v":1,"id":"c-1","type":"vibrate","ts":{{ts}},"pattern":"short"}"""), now).Error;
            case "config":
                return WireFormat.ParseConfig(Bytes($$"""{"v":1,"ts":{{ts}}}"""), now).Error;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_timestamp_beyond_what_a_store_can_keep_is_rejected_as_in_the_future(string kind)
    {
        var error = Parse(kind, BeyondInflux);
        Assert.NotNull(error);
        Assert.Contains($"{BeyondInflux} is more than 30 min in the future", error);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_timestamp_beyond_what_a_date_can_hold_is_rejected_not_thrown(string kind)
    {
        Assert.Contains("in the future", Parse(kind, long.MaxValue));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_timestamp_from_an_unset_clock_is_rejected(string kind)
    {
        Assert.Contains("before 2020", Parse(kind, 86_400_000));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_window_is_the_frames_window_on_the_receivers_clock(string kind)
    {
        Assert.Null(Parse(kind, ContractLimits.MinPlausibleTs));
        Assert.Null(Parse(kind, Now + Skew));
        Assert.Contains("in the future", Parse(kind, Now + Skew + 1));

        // The same ts is fine once the receiver's clock has caught up with it.
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(Parse(kind, Now + Skew - 1));
    }

    [Fact]
    public void A_frame_beyond_what_a_store_can_keep_is_dropped_and_its_neighbours_kept()
    {
        var now = _clock.GetUtcNow();
        var result = WireFormat.ParseTelemetry(Bytes($$"""
            {"v":1,"seq":1,"frames":[{"ts":{{Now - 2000}},"pitch":1,"roll":0,"motion":0,"steps":0},
              {"ts":{{BeyondInflux}},"pitch":1,"roll":0,"motion":0,"steps":0}]}
            """), now);

        Assert.True(result.Ok, result.Error);
        Assert.Equal([Now - 2000], result.Value!.Batch.Frames.Select(f => f.Ts));
        Assert.Contains("in the future", Assert.Single(result.Value.Rejected).Reason);
    }

    [Fact]
    public void The_reason_names_the_field_that_is_out_of_the_window()
    {
        Assert.StartsWith("configTs ", Parse("status-configTs", BeyondInflux));
        Assert.StartsWith("ts ", Parse("ack", BeyondInflux));
    }
}
