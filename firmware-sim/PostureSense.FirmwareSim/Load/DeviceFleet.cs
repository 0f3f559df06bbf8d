using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.FirmwareSim.Load;

/// <summary>
/// Many simulated devices publishing telemetry over a real broker, each on its own connection
/// with its device id as client id, QoS 1. It counts only what the broker acknowledged, so a
/// test can hold the store to exactly that. Frames are made up, not simulated from a sensor:
/// this exercises the path from broker to store, not the device.
/// </summary>
public sealed class DeviceFleet : IAsyncDisposable
{
    readonly FleetOptions _options;
    readonly List<IMqttClient> _clients = [];
    readonly ConcurrentDictionary<string, long> _acknowledged = new();
    readonly DateTimeOffset _firstFrameAt;
    long _framesAcknowledged;

    DeviceFleet(FleetOptions options)
    {
        _options = options;
        _firstFrameAt = options.FirstFrameAt
            ?? DateTimeOffset.UtcNow.AddSeconds(-options.FramesPerDevice - 60);
    }

    public FleetOptions Options => _options;

    /// <summary>Frames the broker acknowledged, over all devices.</summary>
    public long FramesAcknowledged => Interlocked.Read(ref _framesAcknowledged);

    /// <summary>Frames the broker acknowledged, by device.</summary>
    public IReadOnlyDictionary<string, long> AcknowledgedByDevice => _acknowledged;

    /// <summary>The time of a device's n-th frame (from 0): 1 s apart, the same for every device.</summary>
    public long FrameTs(int n) => (_firstFrameAt + TimeSpan.FromSeconds(n)).ToUnixTimeMilliseconds();

    public static async Task<DeviceFleet> ConnectAsync(FleetOptions options, CancellationToken cancellationToken)
    {
        var fleet = new DeviceFleet(options);
        try
        {
            // A few at a time: a broker refuses a burst of a thousand connects.
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Devices),
                new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var client = await fleet.ConnectDeviceAsync(options.DeviceId(i), ct);
                    lock (fleet._clients) fleet._clients.Add(client);
                });
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
        return fleet;
    }

    async Task<IMqttClient> ConnectDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(deviceId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (_options.Credentials?.Invoke(deviceId) is var (user, password)) builder = builder.WithCredentials(user, password);
        var result = await client.ConnectAsync(builder.Build(), cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException($"{deviceId} could not connect: {result.ResultCode}");
        _acknowledged[deviceId] = 0;
        return client;
    }

    /// <summary>Every device publishes its batches, all devices at once; returns when all are acknowledged.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        IMqttClient[] clients;
        lock (_clients) clients = [.. _clients];
        return Task.WhenAll(clients.Select(c => PublishAllAsync(c, cancellationToken)));
    }

    async Task PublishAllAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var deviceId = client.Options.ClientId;
        var topic = Topics.For(DeviceId.Parse(deviceId), Topics.Telemetry);
        var frames = new PostureFrame[_options.FramesPerBatch];
        for (var b = 0; b < _options.BatchesPerDevice; b++)
        {
            for (var k = 0; k < frames.Length; k++)
            {
                var n = b * frames.Length + k;
                // A slow rocking between upright and hunched, so the points differ.
                frames[k] = new PostureFrame(FrameTs(n), 12 + 10 * Math.Sin(n / 60.0), -2, 0.01, 0);
            }
            var payload = WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, b + 1, frames));
            var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            var result = await client.PublishAsync(message, cancellationToken);
            if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
                throw new InvalidOperationException($"{deviceId}: the broker refused batch {b + 1}: {result.ReasonCode}");
            _acknowledged.AddOrUpdate(deviceId, frames.Length, (_, n) => n + frames.Length);
            Interlocked.Add(ref _framesAcknowledged, frames.Length);
            if (_options.Interval > TimeSpan.Zero) await Task.Delay(_options.Interval, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        IMqttClient[] clients;
        lock (_clients) clients = [.. _clients];
        foreach (var client in clients)
        {
            try
            {
                if (client.IsConnected) await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
            }
            catch (Exception) { /* closing anyway */ }
            client.Dispose();
        }
    }
}
