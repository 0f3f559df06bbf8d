using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;

namespace PostureSense.Agent.Config;

/// <summary>What became of a config offered to <see cref="ActiveConfig"/>.</summary>
public enum ConfigVerdict
{
    Applied,
    /// <summary>The same config again (a retained message redelivered on reconnect).</summary>
    Unchanged,
    /// <summary>Its <c>ts</c> is older than the config in use; the one in use stays.</summary>
    Older,
}

/// <summary>
/// The part of the wearer's <c>config</c> the device itself uses: the edge-nudge thresholds, quiet
/// hours (no edge nudges in them) and vibration strength. Until a config arrives the agent's own
/// coaching settings apply, quiet hours included, in the device's zone. Safe to use from any
/// thread: configs arrive on the MQTT thread, nudges are decided on the sampling thread.
/// </summary>
public sealed class ActiveConfig
{
    readonly CoachingSettings _baseline;
    readonly TimeProvider _clock;
    State _state;

    /// <summary>One consistent snapshot, swapped whole.</summary>
    sealed record State(DeviceConfig? Config, CoachingSettings Coaching, TimeZoneInfo Zone, CoachingPolicy QuietHours, int StrengthPercent);

    /// <param name="baseline">The settings without a config, and everything a config does not steer on the device.</param>
    public ActiveConfig(CoachingSettings baseline, TimeProvider clock)
    {
        _baseline = baseline ?? throw new ArgumentNullException(nameof(baseline));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _state = Build(null);
    }

    /// <summary>The config in use; null until one was received or loaded.</summary>
    public DeviceConfig? Current => Volatile.Read(ref _state).Config;

    /// <summary>The settings the edge nudge uses now.</summary>
    public CoachingSettings Coaching => Volatile.Read(ref _state).Coaching;

    /// <summary>Motor strength in percent for everything the device plays.</summary>
    public int StrengthPercent => Volatile.Read(ref _state).StrengthPercent;

    /// <summary>The zone quiet hours are counted in.</summary>
    public TimeZoneInfo Zone => Volatile.Read(ref _state).Zone;

    /// <summary>When quiet hours end, if <paramref name="at"/> is inside them; null when a nudge may buzz.</summary>
    public DateTimeOffset? QuietUntil(DateTimeOffset at) => Volatile.Read(ref _state).QuietHours.QuietUntil(at);

    /// <summary>
    /// Takes a valid config unless its <c>ts</c> is older than the one in use. A config without a
    /// <c>ts</c> counts as older than any with one.
    /// </summary>
    public ConfigVerdict Offer(DeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (current.Config is { } inUse)
            {
                if (config == inUse) return ConfigVerdict.Unchanged;
                if ((config.Ts ?? -1) < (inUse.Ts ?? -1)) return ConfigVerdict.Older;
            }
            if (Interlocked.CompareExchange(ref _state, Build(config), current) == current) return ConfigVerdict.Applied;
        }
    }

    State Build(DeviceConfig? config)
    {
        var coaching = _baseline;
        if (config is not null)
        {
            var wanted = config.ToSettings();
            coaching = _baseline with
            {
                NudgePitchDeg = wanted.NudgePitchDeg,
                NudgeAfter = wanted.NudgeAfter,
                QuietStart = wanted.QuietStart,
                QuietEnd = wanted.QuietEnd,
            };
        }
        var zone = config?.ZoneOr(_clock.LocalTimeZone) ?? _clock.LocalTimeZone;
        return new State(config, coaching, zone, new CoachingPolicy(coaching, _clock, zone),
            config?.Strength ?? DeviceConfig.DefaultVibrationStrength);
    }
}
