using System.Text;
using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;

namespace PostureSense.Core.Tests.Contract;

public class ConfigContractTests
{
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1795478400000 + 60_000);

    static ParseResult<DeviceConfig> Parse(string json) => WireFormat.ParseConfig(Encoding.UTF8.GetBytes(json), Now);

    [Fact]
    public void A_config_with_only_the_version_means_the_design_defaults()
    {
        var parsed = Parse("""{"v":1}""");
        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal(CoachingSettings.Default, parsed.Value!.ToSettings());
        Assert.Equal(100, parsed.Value.Strength);
    }

    [Fact]
    public void Settings_written_as_a_config_read_back_the_same()
    {
        var settings = CoachingSettings.Default with
        {
            NudgePitchDeg = 12, NudgeAfter = TimeSpan.FromSeconds(20), SittingLimit = TimeSpan.FromMinutes(45),
            QuietStart = new TimeOnly(21, 30), QuietEnd = new TimeOnly(6, 15),
        };
        var json = WireFormat.Serialize(DeviceConfig.From(settings, 60, "Europe/Berlin", 1795478400000));
        var parsed = WireFormat.ParseConfig(json, Now);

        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal(settings, parsed.Value!.ToSettings());
        Assert.Equal(60, parsed.Value.Strength);
        Assert.Contains("\"quietStart\":\"21:30\"", Encoding.UTF8.GetString(json));
        // The strength goes out once, as vibrationStrength: no second, undocumented field.
        Assert.DoesNotContain("\"strength\"", Encoding.UTF8.GetString(json));
    }

    [Theory]
    [InlineData("""{"v":1,"vibrationStrength":0}""", "vibration strength")]
    [InlineData("""{"v":1,"quietStart":"25:00"}""", "quiet start '25:00'")]
    [InlineData("""{"v":1,"timeZone":"Mars/Olympus"}""", "time zone 'Mars/Olympus'")]
    [InlineData("""{"v":1,"nudgePitchDeg":95}""", "nudge pitch")]
    [InlineData("""{"v":1,"hunchHoldS":600,"hunchWindowS":300}""", "hunch window")]
    [InlineData("""{"v":2}""", "unsupported version")]
    [InlineData("""{"v":1,"sittingLimitS":"long"}""", "malformed JSON")]
    public void A_bad_config_is_rejected_with_the_reason(string json, string reason)
    {
        var parsed = Parse(json);
        Assert.False(parsed.Ok);
        Assert.Contains(reason, parsed.Error);
    }

    [Fact]
    public void Every_problem_is_listed_at_once_so_the_wearer_fixes_the_form_in_one_go()
    {
        var config = new DeviceConfig(1, QuietStart: "25:99", VibrationStrength: 5, NudgePitchDeg: 95, SittingLimitS: 60);

        var problems = config.Validate();

        Assert.Contains(problems, p => p.Contains("quiet start '25:99'"));
        Assert.Contains(problems, p => p.Contains("vibration strength"));
        Assert.Contains(problems, p => p.Contains("nudge pitch"));
        Assert.Contains(problems, p => p.Contains("sitting limit"));
    }
}
