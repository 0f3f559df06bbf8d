using PostureSense.Agent.Processing;
using PostureSense.Core.Detection;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Exercises;

/// <summary>How the device watches a prompted stretch.</summary>
public sealed record StretchWatchSettings
{
    /// <summary>The wearer has this long after the prompt to get into position (a sitting prompt asks for a walk first).</summary>
    public TimeSpan StartWithin { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>In position this long means they are there (not passing through on the way to the floor).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Up off the floor this long ends the stretch.</summary>
    public TimeSpan UpFor { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>A stretch is over after this long in position, whatever the wearer does.</summary>
    public TimeSpan MaxInPosition { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Closer than this to vertical the trunk is up off the floor (the floor stretches keep it near horizontal).</summary>
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
/// One prompted stretch, on the 50 Hz samples: waits for the wearer to get into position (the
/// trunk near horizontal: on all fours, or face down), hands the samples to the exercise's
/// counter while they are there, and finishes when they get up, stay too long or never come.
/// </summary>
internal sealed class StretchSession
{
    readonly StretchWatchSettings _settings;
    readonly IStretchCounter _counter;
    readonly long _startTicks;
    long? _nearHorizontalSince, _inPositionSince, _upSince;

    public StretchSession(string commandId, string exerciseId, long startTicks, int sampleRateHz, StretchWatchSettings settings)
    {
        CommandId = commandId;
        ExerciseId = exerciseId;
        _startTicks = startTicks;
        _settings = settings;
        _counter = CreateCounter(exerciseId, sampleRateHz) ?? throw new ArgumentException($"no counter for exercise '{exerciseId}'", nameof(exerciseId));
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
        var t = sample.Ticks;
        if (_inPositionSince is null)
        {
            if (TrunkAttitude.IsNearHorizontal(sample.PitchDeg, sample.RollDeg))
            {
                _nearHorizontalSince ??= t;
                if (t - _nearHorizontalSince.Value >= _settings.Settle.Ticks) _inPositionSince = t;
            }
            else
            {
                _nearHorizontalSince = null;
            }
            return _inPositionSince is null && t - _startTicks > _settings.StartWithin.Ticks ? Finish(timedOut: true) : null;
        }

        if (TrunkTilt.FromVerticalDeg(sample.PitchDeg, sample.RollDeg) < _settings.UpWithinDegOfVertical)
        {
            _upSince ??= t;
            if (t - _upSince.Value >= _settings.UpFor.Ticks) return Finish(timedOut: false);
        }
        else
        {
            _upSince = null;
            _counter.Observe(sample);
        }
        return t - _inPositionSince.Value > _settings.MaxInPosition.Ticks ? Finish(timedOut: false) : null;
    }

    /// <summary>Ends the stretch now (another prompt replaced it) with what was counted.</summary>
    public StretchResult Finish(bool timedOut) => new(CommandId, ExerciseId, _counter.Result(), timedOut);
}
