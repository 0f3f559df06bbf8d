using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Storage.DeadLetters;

namespace PostureSense.Storage.Influx;

/// <summary>
/// The store on InfluxDB 1.x, 2.x or 3.x: writes line protocol over HTTP (<see cref="InfluxWriter"/>),
/// reads with InfluxQL through the 1.x-compatible <c>/query</c>. Schema (times in ms):
/// <list type="bullet">
/// <item><c>posture</c>, tag <c>device</c>; fields <c>pitch</c>, <c>roll</c>, <c>motion</c> (float), <c>steps</c> (integer); time = frame ts.</item>
/// <item><c>prompt</c>, tags <c>device</c>, <c>reason</c>; fields <c>command_id</c>, <c>exercise</c>, <c>pattern</c> (string), <c>episode_start</c> (integer); time = prompt ts.</item>
/// <item><c>ack</c>, tags <c>device</c>, <c>status</c>, <c>command</c> (the command id, left out when it cannot be a tag); field <c>command_id</c> (string); time = ack ts.</item>
/// <item><c>status</c>, tag <c>device</c>; fields <c>online</c>, <c>calibrated</c> (bool), <c>fw</c> (string), <c>status_ts</c> (integer); time = when it was received.</item>
/// <item><c>device</c>, tag <c>device</c>; field <c>first_seen</c> (integer); time = first_seen. Written on a
/// device's first write seen by this process (the known devices are loaded on open), so there is about one
/// point per device; FirstSeenTs is <c>first(first_seen)</c>, the earliest, however many there are.</item>
/// </list>
/// Identity follows from (measurement, tags, time): a frame is (device, ts), so writing it again
/// replaces it. A batch is all or nothing in the sense the caller needs: if a write throws, the
/// whole batch is written again, and rewriting what already arrived changes nothing.
/// </summary>
public sealed class InfluxStore : IPostureStore
{
    readonly HttpClient _http;
    readonly InfluxWriter _writer;
    readonly InfluxQueryClient _query;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly ConcurrentDictionary<DeviceId, bool> _knownDevices;
    long _untaggedAcks;

    InfluxStore(InfluxEndpoint endpoint, HttpClient http, InfluxWriter writer, InfluxQueryClient query, TimeProvider clock, ILogger log,
        IEnumerable<DeviceId> knownDevices)
    {
        Endpoint = endpoint;
        _http = http;
        _writer = writer;
        _query = query;
        _clock = clock;
        _log = log;
        _knownDevices = new(knownDevices.Select(d => KeyValuePair.Create(d, true)));
        _heldAtOpen = [.. _knownDevices.Keys];
    }

    readonly HashSet<DeviceId> _heldAtOpen;

    public bool HeldBeforeOpen(DeviceId deviceId) => _heldAtOpen.Contains(deviceId);

    public InfluxEndpoint Endpoint { get; }

    /// <summary>InfluxDB parses one request while the next is on the wire; measured in bench/run-ingest.sh.</summary>
    public int WritesInFlight => 2;

    /// <summary>Partial writes: points InfluxDB refused for good. Surface them (stats, health) from here.</summary>
    public event Action<InfluxDroppedPoints>? PointsDropped
    {
        add => _writer.PointsDropped += value;
        remove => _writer.PointsDropped -= value;
    }

    /// <summary>
    /// When set, a write InfluxDB answered with a partial write throws a <see cref="StoreWriteRefusedException"/>
    /// (after the points it took are stored), so that <see cref="RetryingStore"/> can find the
    /// message it refused and keep it as a dead letter. Unset, the refused points are only reported.
    /// </summary>
    public bool ThrowOnPartialWrite { get; set; }

    /// <summary>Requests answered with a partial write since open.</summary>
    public long DroppedWrites => _writer.DroppedWrites;

    /// <summary>Acks stored without the <c>command</c> tag because their id cannot be a tag value.</summary>
    public long UntaggedAcks => Interlocked.Read(ref _untaggedAcks);

    /// <summary>
    /// Checks that the server answers (<c>/ping</c>) and that the database (or bucket) can be queried,
    /// and loads the devices already known. A missing database or refused credentials is an
    /// <see cref="OptionsException"/> naming the fix; no answer is an <see cref="InfluxQueryException"/>.
    /// </summary>
    public static async Task<InfluxStore> OpenAsync(InfluxEndpoint endpoint, TimeProvider? clock = null, ILogger? log = null,
        InfluxWriterOptions? options = null, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        log ??= NullLogger.Instance;
        http ??= InfluxHttp.CreateClient(endpoint);
        try
        {
            var query = new InfluxQueryClient(http, endpoint);
            await query.PingAsync(cancellationToken);
            var known = await LoadDevicesAsync(query, endpoint, cancellationToken);
            // The writer waits in real time, not on the store's clock: it waits on a server, not on the wearer.
            var writer = new InfluxWriter(http, endpoint, options ?? new InfluxWriterOptions(), log);
            return new InfluxStore(endpoint, http, writer, query, clock ?? TimeProvider.System, log, known);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    static async Task<List<DeviceId>> LoadDevicesAsync(InfluxQueryClient query, InfluxEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            using var result = await query.QueryAsync(InfluxStoreReads.DeviceIds, cancellationToken);
            var devices = new List<DeviceId>();
            foreach (var series in result.Series())
            {
                var value = series.Column("value");
                foreach (var row in series.Rows)
                    if (DeviceId.TryParse(InfluxSeries.String(row, value), out var device)) devices.Add(device);
            }
            return devices;
        }
        catch (InfluxQueryException ex) when (ex.Message.Contains("database not found", StringComparison.OrdinalIgnoreCase))
        {
            var fix = endpoint.Api == InfluxApi.V1
                ? $"create it with: influx -execute 'CREATE DATABASE \"{endpoint.Database}\"'"
                : $"create the bucket, and on 2.x a DBRP mapping for it (influx v1 dbrp create --db {endpoint.Database} --rp autogen --bucket-id ID --default)";
            throw new OptionsException($"InfluxDB at {endpoint} has no database '{endpoint.Database}': {fix}");
        }
        catch (InfluxQueryException ex) when (ex.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new OptionsException($"InfluxDB at {endpoint} refused the credentials: {ex.Message}");
        }
    }

    public async Task WriteBatchAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
    {
        var points = new InfluxPoints();
        var newDevices = new HashSet<DeviceId>();
        foreach (var write in writes)
        {
            Touch(points, write.DeviceId, newDevices);
            switch (write)
            {
                case FramesWrite f: InfluxSchema.AddFrames(points, f.DeviceId, f.Frames); break;
                case StatusWrite s: InfluxSchema.AddStatus(points, s.DeviceId, s.Status, s.ReceivedTs); break;
                case AckWrite a: AddAck(points, a.Ack); break;
                case PromptWrite p: InfluxSchema.AddPrompt(points, p.Prompt); break;
                default: throw new ArgumentException($"unknown store write {write.GetType().Name}", nameof(writes));
            }
        }
        await WriteAsync(points, newDevices, cancellationToken);
    }

    public Task WriteFramesAsync(DeviceId deviceId, IReadOnlyList<PostureFrame> frames, CancellationToken cancellationToken = default) =>
        frames.Count == 0 ? Task.CompletedTask : WriteBatchAsync([new FramesWrite(deviceId, frames)], cancellationToken);

    public Task WriteAckAsync(AckRecord ack, CancellationToken cancellationToken = default) =>
        WriteBatchAsync([new AckWrite(ack)], cancellationToken);

    public Task WriteStatusAsync(DeviceId deviceId, DeviceStatus status, long receivedTs, CancellationToken cancellationToken = default) =>
        WriteBatchAsync([new StatusWrite(deviceId, status, receivedTs)], cancellationToken);

    public Task WritePromptAsync(PromptRecord prompt, CancellationToken cancellationToken = default)
    {
        var points = new InfluxPoints();
        var newDevices = new HashSet<DeviceId>();
        Touch(points, prompt.DeviceId, newDevices);
        InfluxSchema.AddPrompt(points, prompt);
        return WriteAsync(points, newDevices, cancellationToken);
    }

    public Task<IReadOnlyList<PostureFrame>> ReadFramesAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        InfluxStoreReads.FramesAsync(_query, deviceId, fromTs, toTs, cancellationToken);

    public Task<IReadOnlyList<PromptRecord>> ReadPromptsAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        InfluxStoreReads.PromptsAsync(_query, deviceId, fromTs, toTs, cancellationToken);

    public Task<IReadOnlyList<AckRecord>> ReadAcksAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) =>
        InfluxStoreReads.AcksAsync(_query, deviceId, fromTs, toTs, cancellationToken);

    public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(CancellationToken cancellationToken = default) =>
        InfluxStoreReads.DevicesAsync(_query, null, cancellationToken);

    public async Task<DeviceRecord?> GetDeviceAsync(DeviceId deviceId, CancellationToken cancellationToken = default) =>
        (await InfluxStoreReads.DevicesAsync(_query, deviceId, cancellationToken)) is [var device, ..] ? device : null;

    public Task<PromptRecord?> LastPromptAsync(DeviceId deviceId, PromptReason reason, CancellationToken cancellationToken = default) =>
        InfluxStoreReads.LastPromptAsync(_query, deviceId, reason, cancellationToken);

    /// <summary>Nothing is buffered between calls, so there is nothing to flush: closing the client is all.</summary>
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    void AddAck(InfluxPoints points, AckRecord ack)
    {
        if (InfluxSchema.AddAck(points, ack)) return;
        Interlocked.Increment(ref _untaggedAcks);
        _log.InfluxUntaggedAck(ack.DeviceId);
    }

    void Touch(InfluxPoints points, DeviceId deviceId, HashSet<DeviceId> newDevices)
    {
        if (!_knownDevices.ContainsKey(deviceId) && newDevices.Add(deviceId))
            InfluxSchema.AddDevice(points, deviceId, _clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    async Task WriteAsync(InfluxPoints points, HashSet<DeviceId> newDevices, CancellationToken cancellationToken)
    {
        var dropped = await _writer.WriteAsync(points, cancellationToken);
        if (ThrowOnPartialWrite && dropped.Count > 0)
        {
            var first = dropped[0];
            throw new StoreWriteRefusedException(
                first.Error.Contains("outside range", StringComparison.OrdinalIgnoreCase) ? DeadLetterReasons.OutOfRange : DeadLetterReasons.Refused,
                $"InfluxDB refused points for good ({(int)first.Status}): {first.Error}");
        }
        // Known only once stored: a failed batch is written again, device point and all.
        foreach (var device in newDevices) _knownDevices.TryAdd(device, true);
    }
}
