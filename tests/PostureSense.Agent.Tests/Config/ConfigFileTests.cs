using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Agent.Config;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;

namespace PostureSense.Agent.Tests.Config;

public class ConfigFileTests
{
    const long SavedTs = 1_795_478_400_000;
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(SavedTs + 60_000);

    [Fact]
    public void A_saved_config_reads_back_the_same()
    {
        using var data = new TempDirectory();
        var path = ConfigFile.PathFor(data.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-1"));
        var config = DeviceConfig.From(CoachingSettings.Default with { NudgePitchDeg = 18 }, 55, "Europe/Berlin", SavedTs);

        ConfigFile.Save(path, config);

        Assert.Equal(config, ConfigFile.Load(path, NullLogger.Instance, Now));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Theory]
    [InlineData("{\"v\":1,\"ts\":5,\"nudgeAfterS\":")]
    [InlineData("{\"v\":1,\"ts\":5,\"vibrationStrength\":5}")]
    [InlineData("")]
    [InlineData("{\"v\":1,\"ts\":9300000000000}")]
    public void A_damaged_or_invalid_file_is_ignored_with_its_reason(string content)
    {
        using var data = new TempDirectory();
        var path = ConfigFile.PathFor(data.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-1"));
        File.WriteAllText(path, content);
        var log = new LogRecorder();

        Assert.Null(ConfigFile.Load(path, log.CreateLogger("test"), Now));
        Assert.True(log.Has(LogLevel.Warning, "Ignoring the saved config"), string.Join("\n", log.Lines));
    }

    [Fact]
    public void No_file_is_no_config()
    {
        using var data = new TempDirectory();
        Assert.Null(ConfigFile.Load(ConfigFile.PathFor(data.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-1")), NullLogger.Instance, Now));
    }

    [Fact]
    public void A_saved_config_still_applies_on_a_boot_without_network_time()
    {
        using var data = new TempDirectory();
        var path = ConfigFile.PathFor(data.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-1"));
        var config = DeviceConfig.From(CoachingSettings.Default, 55, null, SavedTs);
        ConfigFile.Save(path, config);
        File.SetLastWriteTimeUtc(path, Now.UtcDateTime);

        // A Pi without a real-time clock starts at 1970 until it reaches a time server.
        Assert.Equal(config, ConfigFile.Load(path, NullLogger.Instance, DateTimeOffset.UnixEpoch));
    }
}
