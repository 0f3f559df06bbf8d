using System.Text;
using PostureSense.Core.Contract;
using PostureSense.Integration.Tests.Broker;

namespace PostureSense.Integration.Tests.Arm64;

/// <summary>
/// The agents as they would run on a Raspberry Pi (linux-arm64, self-contained), under qemu: the
/// simulated one streams telemetry to a real mosquitto; the Pi's, on a machine without its I2C
/// bus, says so and exits; and the Pi's carries no simulator.
/// </summary>
public sealed class Arm64AgentTests(Arm64Publish published) : IClassFixture<Arm64Publish>
{
    static readonly TimeSpan Emulated = TimeSpan.FromMinutes(3); // .NET under qemu starts slowly

    [Fact]
    public void The_pi_agent_is_published_trimmed_without_the_simulator()
    {
        published.Require();
        Assert.True(File.Exists(Path.Combine(published.OnThePi, "PostureSense.Agent")), "no PostureSense.Agent executable");
        Assert.False(File.Exists(Path.Combine(published.OnThePi, "PostureSense.FirmwareSim.dll")), "the simulator is in the Pi's build");
        Assert.DoesNotContain(Directory.EnumerateFiles(published.OnThePi, "*.dll"), f => Path.GetFileName(f).Contains("FirmwareSim", StringComparison.Ordinal));
        Assert.DoesNotContain("warning", published.PiPublishLog, StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(Path.Combine(published.Simulated, "PostureSense.FirmwareSim.dll")), "the simulated agent lacks the simulator");
    }

    [Fact]
    public async Task The_simulated_arm64_agent_streams_telemetry_to_mosquitto()
    {
        published.Require();
        var users = new Dictionary<string, string> { ["posturesense-server"] = "server-pw", ["arm-1"] = "arm-pw" };
        await using var broker = await MosquittoServer.StartAsync(users, cancellationToken: TestContext.Current.CancellationToken);
        await using var server = await MqttTestClient.ConnectAsync(broker, "posturesense-server", "server-pw");
        Assert.Equal(MQTTnet.MqttClientSubscribeResultCode.GrantedQoS1, await server.SubscribeAsync(Topics.For(DeviceId.Parse("arm-1"), Topics.Telemetry)));
        using var data = new TempFolder();
        // The device's pairing code, made as on its first start. Making one takes the system's
        // cryptographic random numbers, which .NET on Linux reads through OpenSSL (libssl3): every
        // Raspberry Pi OS has it, the emulator's arm64 C library folder here does not.
        File.WriteAllText(PostureSense.Agent.Pairing.PairingCodeFile.PathFor(data.Path, "arm-1"), PostureSense.Core.Device.PairingCode.Generate() + "\n");
        await using var agent = published.Start(published.Simulated, "PostureSense.Agent.Simulated",
            ["--device-id", "arm-1", "--sim", "upright-hour", "--data-dir", data.Path,
             "--mqtt", $"mqtt://arm-1:arm-pw@{broker.Host}:{broker.Port}"]);

        var (topic, payload) = await NextWithin(server, Emulated, agent);

        Assert.Equal(Topics.For(DeviceId.Parse("arm-1"), Topics.Telemetry), topic);
        var parsed = WireFormat.ParseTelemetry(Encoding.UTF8.GetBytes(payload), DateTimeOffset.UtcNow);
        Assert.True(parsed.Ok, $"bad telemetry: {payload}");
        Assert.NotEmpty(parsed.Value!.Batch.Frames);
        // It runs on for a while, as a device would, then stops cleanly on SIGTERM.
        await Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var exitCode = await agent.TerminateAsync(Emulated);
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{agent.Output}");
        Assert.Contains("Agent arm-1 stopped", agent.Output);
    }

    [Fact]
    public async Task The_pi_agent_without_its_i2c_bus_exits_1_naming_the_bus()
    {
        published.Require();
        var bus = Enumerable.Range(1, 200).First(n => !File.Exists($"/dev/i2c-{n}"));
        using var data = new TempFolder();
        await using var agent = published.Start(published.OnThePi, "PostureSense.Agent",
            ["--device-id", "arm-2", "--i2c-bus", bus.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", data.Path]);

        var exitCode = await agent.ExitCodeAsync(Emulated);

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{agent.Output}");
        Assert.Contains($"PostureSense.Agent: cannot open I2C bus {bus} (/dev/i2c-{bus})", agent.Output);
        Assert.DoesNotContain("   at ", agent.Output); // one line, no stack trace
    }

    static async Task<(string Topic, string Payload)> NextWithin(MqttTestClient client, TimeSpan within, QemuProcess agent)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try { return await client.NextAsync(); }
            catch (TimeoutException) when (DateTime.UtcNow < deadline) { }
            catch (TimeoutException) { throw new TimeoutException($"no telemetry within {within.TotalSeconds} s:\n{agent.Output}"); }
        }
    }

    sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("posturesense-arm64-data-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
        }
    }
}
