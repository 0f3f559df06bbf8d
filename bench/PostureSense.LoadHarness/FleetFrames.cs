using PostureSense.FirmwareSim.Load;

namespace PostureSense.LoadHarness;

/// <summary>
/// The frames a <see cref="DeviceFleet"/> publishes, rebuilt without a broker, in the order the fleet
/// sends them (every device's batch 1, then every device's batch 2...), so the ceiling run stores
/// exactly what the server run stores.
/// </summary>
static class FleetFrames
{
    public readonly record struct Frame(string DeviceId, long Ts, double Pitch, double Roll, double Motion, int Steps);

    public static IEnumerable<Frame> All(FleetOptions options)
    {
        var first = options.FirstFrameAt ?? throw new ArgumentException("FirstFrameAt must be set so both runs agree", nameof(options));
        var ids = Enumerable.Range(0, options.Devices).Select(options.DeviceId).ToArray();
        for (var b = 0; b < options.BatchesPerDevice; b++)
            foreach (var id in ids)
                for (var k = 0; k < options.FramesPerBatch; k++)
                {
                    var n = b * options.FramesPerBatch + k;
                    // Keep in step with DeviceFleet.PublishAllAsync.
                    yield return new Frame(id, (first + TimeSpan.FromSeconds(n)).ToUnixTimeMilliseconds(), 12 + 10 * Math.Sin(n / 60.0), -2, 0.01, 0);
                }
    }
}
