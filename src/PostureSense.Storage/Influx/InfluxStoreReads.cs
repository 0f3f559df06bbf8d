using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using static PostureSense.Storage.Influx.InfluxQl;

namespace PostureSense.Storage.Influx;

/// <summary>The InfluxQL behind <see cref="InfluxStore"/>'s reads, and turning the answers back into records.</summary>
static class InfluxStoreReads
{
    public const string DeviceIds = "SHOW TAG VALUES FROM \"device\" WITH KEY = \"device\"";

    /// <summary>
    /// One query for the range, not chunked. If the server cuts the answer short (a configured
    /// max-row-limit), the rest is asked for from the last frame on: a frame's ts is unique per device.
    /// </summary>
    public static async Task<IReadOnlyList<PostureFrame>> FramesAsync(InfluxQueryClient query, DeviceId deviceId, long fromTs, long toTs,
        CancellationToken cancellationToken)
    {
        var frames = new List<PostureFrame>();
        while (!IsEmptyRange(fromTs, toTs))
        {
            using var result = await query.QueryAsync(
                $"SELECT pitch, roll, motion, steps FROM posture WHERE device = {Literal(deviceId.Value)} AND {TimeRange(fromTs, toTs)}",
                cancellationToken);
            var partial = false;
            foreach (var series in result.Series())
            {
                var (pitch, roll, motion, steps) = (series.Column("pitch"), series.Column("roll"), series.Column("motion"), series.Column("steps"));
                frames.EnsureCapacity(frames.Count + series.Count);
                foreach (var row in series.Rows)
                {
                    frames.Add(new PostureFrame(InfluxSeries.Long(row, 0), InfluxSeries.Double(row, pitch), InfluxSeries.Double(row, roll),
                        InfluxSeries.Double(row, motion), (int)(InfluxSeries.LongOrNull(row, steps) ?? 0)));
                }
                partial |= series.Partial;
            }
            if (!partial || frames.Count == 0) break;
            fromTs = frames[^1].Ts + 1;
        }
        return frames;
    }

    public static async Task<IReadOnlyList<PromptRecord>> PromptsAsync(InfluxQueryClient query, DeviceId deviceId, long fromTs, long toTs,
        CancellationToken cancellationToken)
    {
        if (IsEmptyRange(fromTs, toTs)) return [];
        using var result = await query.QueryAsync(
            $"SELECT {PromptColumns}, reason FROM prompt WHERE device = {Literal(deviceId.Value)} AND {TimeRange(fromTs, toTs)}", cancellationToken);
        var prompts = ReadPrompts(result, deviceId, reason: null);
        // The SQLite store's order: time, then command id.
        prompts.Sort((a, b) => a.Ts != b.Ts ? a.Ts.CompareTo(b.Ts) : string.CompareOrdinal(a.CommandId, b.CommandId));
        return prompts;
    }

    public static async Task<PromptRecord?> LastPromptAsync(InfluxQueryClient query, DeviceId deviceId, PromptReason reason,
        CancellationToken cancellationToken)
    {
        using var result = await query.QueryAsync(
            $"SELECT {PromptColumns} FROM prompt WHERE device = {Literal(deviceId.Value)} AND reason = {Literal(reason.ToWire())} ORDER BY time DESC LIMIT 1",
            cancellationToken);
        return ReadPrompts(result, deviceId, reason).FirstOrDefault();
    }

    public static async Task<IReadOnlyList<AckRecord>> AcksAsync(InfluxQueryClient query, DeviceId deviceId, long fromTs, long toTs,
        CancellationToken cancellationToken)
    {
        if (IsEmptyRange(fromTs, toTs)) return [];
        using var result = await query.QueryAsync(
            $"SELECT command_id, status, exercise, reps, holds_s FROM ack WHERE device = {Literal(deviceId.Value)} AND {TimeRange(fromTs, toTs)}",
            cancellationToken);
        var acks = new List<AckRecord>();
        foreach (var series in result.Series())
        {
            var (command, status) = (series.Column("command_id"), series.Column("status"));
            var (exercise, reps, holds) = (series.Column("exercise"), series.Column("reps"), series.Column("holds_s"));
            foreach (var row in series.Rows)
                acks.Add(new AckRecord(deviceId, InfluxSeries.String(row, command) ?? "", InfluxSeries.String(row, status) ?? "", InfluxSeries.Long(row, 0),
                    InfluxSeries.String(row, exercise), InfluxSeries.LongOrNull(row, reps) is { } count ? (int)count : null,
                    AckRecord.ParseHolds(InfluxSeries.String(row, holds))));
        }
        acks.Sort((a, b) => a.Ts != b.Ts ? a.Ts.CompareTo(b.Ts) : string.CompareOrdinal(a.CommandId, b.CommandId));
        return acks;
    }

    /// <summary>
    /// Three statements in one request: the earliest first sighting, the newest frame, and the
    /// newest status row whole (<c>last()</c> per field would mix a will message with the status before it).
    /// </summary>
    public static async Task<IReadOnlyList<DeviceRecord>> DevicesAsync(InfluxQueryClient query, DeviceId? deviceId, CancellationToken cancellationToken)
    {
        var where = deviceId is { } one ? $" WHERE device = {Literal(one.Value)}" : "";
        using var result = await query.QueryAsync(
            $"SELECT first(first_seen) FROM device{where} GROUP BY device; " +
            $"SELECT last(steps) FROM posture{where} GROUP BY device; " +
            $"SELECT online, fw, calibrated, status_ts FROM status{where} GROUP BY device ORDER BY time DESC LIMIT 1",
            cancellationToken);

        var firstSeen = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var series in result.Series(0))
            foreach (var row in series.Rows)
                if (series.Tag("device") is { } id) firstSeen[id] = InfluxSeries.LongOrNull(row, 1) ?? InfluxSeries.Long(row, 0);

        var lastFrame = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var series in result.Series(1))
            foreach (var row in series.Rows)
                if (series.Tag("device") is { } id) lastFrame[id] = InfluxSeries.Long(row, 0);

        var status = new Dictionary<string, (DeviceStatus? Status, long ReceivedTs)>(StringComparer.Ordinal);
        foreach (var series in result.Series(2))
        {
            var (online, fw, calibrated, ts) = (series.Column("online"), series.Column("fw"), series.Column("calibrated"), series.Column("status_ts"));
            foreach (var row in series.Rows)
            {
                if (series.Tag("device") is not { } id) continue;
                DeviceStatus? s = InfluxSeries.Bool(row, online) is { } on
                    ? new DeviceStatus(ContractLimits.Version, on, InfluxSeries.String(row, fw), InfluxSeries.Bool(row, calibrated), InfluxSeries.LongOrNull(row, ts))
                    : null;
                status[id] = (s, InfluxSeries.Long(row, 0));
            }
        }

        // A device with data but no device point (written by another tool, or its point aged out
        // of a retention policy) is still listed, first seen at its earliest known time.
        foreach (var id in lastFrame.Keys.Concat(status.Keys))
            if (!firstSeen.ContainsKey(id))
                firstSeen[id] = Math.Min(lastFrame.GetValueOrDefault(id, long.MaxValue), status.TryGetValue(id, out var st) ? st.ReceivedTs : long.MaxValue);

        // A tag value that breaks the id rule (written by another tool) is no device: it is left out.
        var devices = new List<DeviceRecord>(firstSeen.Count);
        foreach (var (key, first) in firstSeen)
        {
            if (!DeviceId.TryParse(key, out var id)) continue;
            devices.Add(new DeviceRecord(id, first,
                lastFrame.TryGetValue(key, out var frameTs) ? frameTs : null,
                status.TryGetValue(key, out var st) ? st.Status : null,
                status.TryGetValue(key, out st) ? st.ReceivedTs : null));
        }
        return devices;
    }

    const string PromptColumns = "command_id, exercise, pattern, episode_start";

    static List<PromptRecord> ReadPrompts(InfluxQueryResult result, DeviceId deviceId, PromptReason? reason)
    {
        var prompts = new List<PromptRecord>();
        foreach (var series in result.Series())
        {
            var (command, exercise, pattern, episode, reasonColumn) = (series.Column("command_id"), series.Column("exercise"),
                series.Column("pattern"), series.Column("episode_start"), series.Column("reason"));
            foreach (var row in series.Rows)
            {
                var r = reason ?? (PromptReasons.TryParse(InfluxSeries.String(row, reasonColumn), out var parsed) ? parsed : PromptReason.Hunch);
                prompts.Add(new PromptRecord(deviceId, InfluxSeries.String(row, command) ?? "", InfluxSeries.Long(row, 0), r,
                    InfluxSeries.String(row, exercise) ?? "", InfluxSeries.String(row, pattern) ?? "", InfluxSeries.LongOrNull(row, episode) ?? 0));
            }
        }
        return prompts;
    }
}
