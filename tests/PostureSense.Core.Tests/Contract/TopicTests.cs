using PostureSense.Core.Contract;

namespace PostureSense.Core.Tests.Contract;

public class TopicTests
{
    [Theory]
    [InlineData("posturesense/v1/pi-desk-1/telemetry", "pi-desk-1", "telemetry")]
    [InlineData("posturesense/v1/a/cmd", "a", "cmd")]
    public void A_v1_topic_names_its_device_and_suffix(string topic, string device, string suffix)
    {
        Assert.True(Topics.TryParse(topic, out var d, out var s));
        Assert.Equal((DeviceId.Parse(device), suffix), (d, s));
        Assert.Equal(topic, Topics.For(d, s));
    }

    [Theory]
    [InlineData("posturesense/v2/a/telemetry")]
    [InlineData("posturesense/v1/UPPER/telemetry")]
    [InlineData("posturesense/v1/-lead/telemetry")]
    [InlineData("posturesense/v1/a/b/telemetry")]
    [InlineData("posturesense/v1//telemetry")]
    [InlineData("posturesense/v1/a/")]
    [InlineData("posturesense/v1/a,b/telemetry")]
    public void Anything_else_is_not_a_v1_topic(string topic) => Assert.False(Topics.TryParse(topic, out _, out _));

    [Theory]
    [InlineData("a", true)]
    [InlineData("0-desk", true)]
    [InlineData("pi-zero-2w-kitchen", true)]
    [InlineData("", false)]
    [InlineData("Desk", false)]
    [InlineData("desk_1", false)]
    [InlineData("desk 1", false)]
    [InlineData("-desk", false)]
    [InlineData("a\n", false)]
    public void Device_ids_follow_the_contract(string id, bool valid) => Assert.Equal(valid, DeviceId.TryParse(id, out _));

    [Fact]
    public void Device_ids_are_at_most_63_characters()
    {
        Assert.True(DeviceId.TryParse(new string('a', 63), out _));
        Assert.False(DeviceId.TryParse(new string('a', 64), out _));
        Assert.Contains("1-63 lowercase", Assert.Throws<ArgumentException>(() => DeviceId.Parse("Bad")).Message);
    }
}
