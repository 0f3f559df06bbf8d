using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Agent.Config;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;

namespace PostureSense.Agent.Tests.Config;

public class ConfigFileTests
{
    [Fact]
    public void A_saved_config_reads_back_the_same()
    {
        using var data = new TempDirectory();
        var path = ConfigFile.PathFor(data.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-1"));
        var config = DeviceConfig.From(CoachingSettings.Default with { NudgePitchDeg = 18 }, 55, "Europe/Berlin", 1_795_478_400_000);

        ConfigFile.Save(path, config);

        Assert.Equal(config, ConfigFile.Load(path, NullLogger.Instance));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Theory]
    [InlineData("{\"v\":1,\"ts\":5,\"nudgeAfterS\":")]
    [InlineData("{\"v\":1,\"ts\":5,\"vibrationStrength\":5}")]
    [InlineData("")]
    public void A_damaged_or_invalid_file_is_ignored_with_its_reason(string content)
    {
        using var data = new TempDirectory();
        var path = ConfigFile.PathFor(data.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-1"));
        File.WriteAllText(path, content);
        var log = new LogRecorder();

        Assert.Null(ConfigFile.Load(path, log.CreateLogger("test")));
        Assert.True(log.Has(LogLevel.Warning, "Ignoring the saved config"), string.Join("\n", log.Lines));
    }

    [Fact]
    public void No_file_is_no_config()
    {
        using var data = new TempDirectory();
        Assert.Null(ConfigFile.Load(ConfigFile.PathFor(data.Path, PostureSense.Core.Contract.DeviceId.Parse("desk-1")), NullLogger.Instance));
    }
}
