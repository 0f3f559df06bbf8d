using PostureSense.Agent.Processing;

namespace PostureSense.Agent.Exercises;

/// <summary>How the device watches a prompted stretch (see <see cref="FloorWatch"/> for how these tell the floor from a chair).</summary>
public sealed record StretchWatchSettings
{
    /// <summary>The wearer has this long after the prompt to get into position (a sitting prompt asks for a walk first).</summary>
    public TimeSpan StartWithin { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Held steady in the floor band this long means they are there (not passing through, not rocking).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How steady "settled" is: the pitch stays within this spread while settling (sway is ±1-2°; rocking in a chair is 10° and more).</summary>
    public double SettleSpreadDeg { get; init; } = 10;
    /// <summary>The upper back's pitch on all fours or face down: from 20° head-high to 25° head-low of horizontal.</summary>
    public double FloorPitchMinDeg { get; init; } = 70;
    /// <inheritdoc cref="FloorPitchMinDeg"/>
    public double FloorPitchMaxDeg { get; init; } = 115;
    /// <summary>Rolled further than this onto a side is lying on it, not on all fours.</summary>
    public double FloorMaxRollDeg { get; init; } = 30;
    /// <summary>
    /// The way down: the body goes down at least this fast, m/s, while the trunk is upright, as
    /// measured (VerticalSpeed: kneeling, 0.45 m in about 1.6 s, reads about 0.25; a walk's bounce
    /// about 0.1, a very slow walk's 0.19; sitting still a few mm/s).
    /// </summary>
    public double KneelSpeedMps { get; init; } = 0.18;
    /// <summary>The way down counts if the wearer settles on the floor within this after it (kneel, then hands down).</summary>
    public TimeSpan KneelWithin { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Up off the floor this long ends the stretch: the way up.</summary>
    public TimeSpan UpFor { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>A stretch is over after this long in position, whatever the wearer does.</summary>
    public TimeSpan MaxInPosition { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Closer than this to vertical the trunk is up off the floor (the floor stretches keep it near horizontal); the way down is watched only this upright.</summary>
    public double UpWithinDegOfVertical { get; init; } = 45;
}

/// <summary>What became of a watched stretch.</summary>
/// <param name="TimedOut">The wearer never got into position within <see cref="StretchWatchSettings.StartWithin"/>.</param>
public sealed record StretchResult(string CommandId, string ExerciseId, StretchCount Count, bool TimedOut)
{
    /// <summary>Something was counted: the ack says done.</summary>
    public bool Done => Count.Any;
}

/// <summary>
/// One prompted stretch, on the 50 Hz samples: waits for the wearer to get down on the floor (on
/// all fours, or face down, by a way down: <see cref="FloorWatch"/>), hands the samples to the
/// exercise's counter while they are there, and finishes when they get up, stay too long or never
/// come. A fold in a chair never gets the wearer "down", so it counts nothing and the prompt is
/// answered not done.
/// </summary>
internal sealed class StretchSession
{
    readonly StretchWatchSettings _settings;
    readonly IStretchCounter _counter;
    readonly FloorWatch _floor;
    readonly bool _ownsFloor;
    readonly long _startTicks;
    long? _inPositionSince;

    /// <param name="floor">What the device knows of the floor from before the prompt (the wearer may be down already); null: the session watches on its own.</param>
    public StretchSession(string commandId, string exerciseId, long startTicks, int sampleRateHz, StretchWatchSettings settings, FloorWatch? floor = null)
    {
        CommandId = commandId;
        ExerciseId = exerciseId;
        _startTicks = startTicks;
        _settings = settings;
        _counter = CreateCounter(exerciseId, sampleRateHz) ?? throw new ArgumentException($"no counter for exercise '{exerciseId}'", nameof(exerciseId));
        _ownsFloor = floor is null;
        _floor = floor ?? new FloorWatch(sampleRateHz, settings);
    }

    public string CommandId { get; }
    public string ExerciseId { get; }

    /// <summary>The exercises the device can count from the upper back.</summary>
    public static bool CanCount(string? exerciseId) => exerciseId is "cat-cow" or "thread-the-needle" or "superman";

    static IStretchCounter? CreateCounter(string exerciseId, int sampleRateHz)
    {
        var seconds = 1.0 / sampleRateHz;
        return exerciseId switch
        {
            "cat-cow" => new CatCowCounter(seedSamples: sampleRateHz),
            "thread-the-needle" => new ThreadTheNeedleTimer(seedSamples: sampleRateHz, seconds),
            "superman" => new SupermanCounter(seedSamples: sampleRateHz, seconds),
            _ => null,
        };
    }

    /// <summary>Feeds one sample; returns the result once the stretch is over.</summary>
    public StretchResult? Observe(in TrunkSample sample)
    {
        if (_ownsFloor) _floor.Observe(sample);
        var t = sample.Ticks;
        if (_inPositionSince is null)
        {
            if (_floor.IsDown) _inPositionSince = t;
            return _inPositionSince is null && t - _startTicks > _settings.StartWithin.Ticks ? Finish(timedOut: true) : null;
        }

        if (!_floor.IsDown) return Finish(timedOut: false); // the way up
        if (!_floor.IsRising) _counter.Observe(sample);
        return t - _inPositionSince.Value > _settings.MaxInPosition.Ticks ? Finish(timedOut: false) : null;
    }

    /// <summary>Ends the stretch now (another prompt replaced it) with what was counted.</summary>
    public StretchResult Finish(bool timedOut) => new(CommandId, ExerciseId, _counter.Result(), timedOut);
}
