namespace PostureSense.FirmwareSim.Load;

/// <summary>How a fleet of simulated devices loads a broker.</summary>
public sealed record FleetOptions
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public int Devices { get; init; } = 10;
    /// <summary>Device ids are this prefix and a number: <c>load-0001</c>.</summary>
    public string IdPrefix { get; init; } = "load-";
    /// <summary>Frames per telemetry batch; a real device sends 5 (one batch every 5 s).</summary>
    public int FramesPerBatch { get; init; } = 5;
    /// <summary>Telemetry batches each device publishes.</summary>
    public int BatchesPerDevice { get; init; } = 20;
    /// <summary>Pause between a device's batches; zero publishes as fast as the broker acknowledges.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.Zero;
    /// <summary>The first frame's time; by default far enough back that the last frame is not in the future.</summary>
    public DateTimeOffset? FirstFrameAt { get; init; }
    /// <summary>The MQTT user name and password of a device, when the broker asks for them.</summary>
    public Func<string, (string User, string Password)>? Credentials { get; init; }

    public string DeviceId(int index) => $"{IdPrefix}{index:D4}";

    public int FramesPerDevice => FramesPerBatch * BatchesPerDevice;
}
