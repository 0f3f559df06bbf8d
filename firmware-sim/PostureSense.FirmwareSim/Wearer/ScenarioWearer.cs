using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Wearer.Motions;

namespace PostureSense.FirmwareSim.Wearer;

/// <summary>
/// A wearer following a scenario: posture eases from one segment's to the next over the
/// segment's ramp, and each segment moves its own way on top (sway while still, gait while
/// walking with its heel strikes, turns and stops, breathing while sitting or standing, fidgets, typing and mousing, a
/// slouch style, a bend down and back, kneeling down to the floor, the stretches, or a stretch's movement mimicked in
/// a chair). Which way the wearer faces carries on from segment to segment: a walk's turns and a swivel of the chair add up. Deterministic for the
/// scenario's seed. After the last segment it keeps doing the last thing.
/// </summary>
public sealed class ScenarioWearer : IWearerModel
{
    // How much a body sways while holding each kind of still posture, relative to sitting.
    const double StandingSway = 1.8, LyingSway = 0.4, StretchSway = 1.2;

    readonly Scenario _scenario;
    readonly IMotion[][] _motions;
    // Its own generator, so the draws of sway, gait and each segment's motions stay what they were.
    readonly Breathing _breathing;
    /// <summary>Which way the wearer faces as each segment starts: the turns and swivels before it, added up.</summary>
    readonly double[] _headingAtStart;

    public ScenarioWearer(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        var random = new Random(scenario.Seed);
        var pitchSway = Sway.Sines.Random(random);
        var rollSway = Sway.Sines.Random(random);
        var gaitPhase = random.NextDouble() * 2 * Math.PI;
        _breathing = Breathing.Random(new Random(unchecked(scenario.Seed * 6007 + 3)));
        _motions = scenario.Segments.Select((segment, i) =>
            MotionsOf(segment, i > 0 && OnTheFloor(scenario.Segments[i - 1].Activity), pitchSway, rollSway, gaitPhase, _breathing,
                new Random(unchecked(scenario.Seed * 7919 + (i + 1) * 104729)))).ToArray();
        _headingAtStart = new double[scenario.Segments.Count];
        for (var i = 1; i < _headingAtStart.Length; i++)
            _headingAtStart[i] = _headingAtStart[i - 1] + scenario.Segments[i - 1].SwivelDeg
                + _motions[i - 1].OfType<Gait>().Sum(g => g.TotalTurnDeg);
    }

    public Scenario Scenario => _scenario;

    public WearerState At(TimeSpan sinceStart)
    {
        if (sinceStart < TimeSpan.Zero) sinceStart = TimeSpan.Zero;
        var index = _scenario.SegmentIndexAt(sinceStart);
        var segment = _scenario.Segments[index];
        var (fromPitch, fromRoll, fromTwist) = index > 0 ? EndPosture(index - 1) : (segment.PitchDeg, segment.RollDeg, segment.TwistDeg);

        var into = (sinceStart - segment.Start).TotalSeconds;
        var ramp = segment.Ramp.TotalSeconds;
        var ease = segment.Activity == Activity.Bend
            // Down, a moment there, and back up to where the wearer was.
            ? Ease.Plateau(into, 0, ramp, segment.Duration.TotalSeconds, ramp)
            : Ease.Smooth(ramp > 0 ? into / ramp : 1);
        var pose = new Pose
        {
            PitchDeg = fromPitch + (segment.PitchDeg - fromPitch) * ease,
            RollDeg = fromRoll + (segment.RollDeg - fromRoll) * ease,
            TwistDeg = fromTwist + (segment.TwistDeg - fromTwist) * ease,
            HeadingDeg = _headingAtStart[index] + segment.SwivelDeg * ease,
        };
        var t = sinceStart.TotalSeconds;
        foreach (var motion in _motions[index]) motion.Apply(into, t, ref pose);
        return new WearerState(pose.PitchDeg, pose.RollDeg, pose.AccelG, segment.Activity.IsWalking(), segment.Label, pose.TwistDeg, pose.HeadingDeg);
    }

    /// <summary>The posture a segment leaves the wearer in: a bend returns to the one before it.</summary>
    (double Pitch, double Roll, double Twist) EndPosture(int index)
    {
        while (index > 0 && _scenario.Segments[index].Activity == Activity.Bend) index--;
        var segment = _scenario.Segments[index];
        return (segment.PitchDeg, segment.RollDeg, segment.TwistDeg);
    }

    static bool OnTheFloor(Activity activity) => activity.IsStretch() || activity == Activity.Lie;

    /// <param name="fromFloor">The segment before left the wearer on the floor: no getting down first.</param>
    static IMotion[] MotionsOf(ScenarioSegment segment, bool fromFloor, Sway.Sines pitchSway, Sway.Sines rollSway, double gaitPhase, Breathing breathing, Random random)
    {
        var motions = new List<IMotion>();
        var ramp = segment.Ramp.TotalSeconds;
        if (segment.Activity.IsStretch() && !fromFloor) motions.Add(new Kneel(ramp));
        switch (segment.Activity)
        {
            case Activity.Walk or Activity.Stairs:
                motions.Add(new Gait(segment.CadenceStepsPerMin, segment.Activity == Activity.Stairs, gaitPhase, segment.Duration.TotalSeconds,
                    GaitPlan.Random(segment.Duration.TotalSeconds, segment.TurnsPerMinute, segment.StopsPerMinute, random)));
                break;
            case Activity.Sit or Activity.Stand:
                motions.Add(new Sway(pitchSway, rollSway, segment.Activity == Activity.Stand ? StandingSway : 1));
                motions.Add(breathing);
                if (segment.Slouch != SlouchStyle.None) motions.Add(new SlouchMotion(segment.Slouch, random));
                if (segment.FidgetsPerMinute > 0) motions.Add(new Fidgets(segment.FidgetsPerMinute, segment.Duration.TotalSeconds, random));
                if (segment.Mimic is { } mimic) motions.Add(StretchMotion(mimic, ramp, random));
                // Last, so the draws of the motions above stay what they were.
                if (segment.Typing) motions.Add(new Typing(segment.Duration.TotalSeconds, random));
                break;
            case Activity.Lie:
                motions.Add(new Sway(pitchSway, rollSway, LyingSway));
                break;
            case Activity.Bend:
                motions.Add(new Sway(pitchSway, rollSway, 1));
                break;
            case Activity.CatCow or Activity.ThreadTheNeedle:
                motions.Add(new Sway(pitchSway, rollSway, StretchSway));
                motions.Add(StretchMotion(segment.Stretch!, ramp, random));
                break;
            case Activity.Superman:
                motions.Add(new Sway(pitchSway, rollSway, LyingSway));
                motions.Add(StretchMotion(segment.Stretch!, ramp, random));
                break;
        }
        return [.. motions];
    }

    /// <summary>A stretch's movement, on the floor or mimicked in a chair or at a desk.</summary>
    static IMotion StretchMotion(StretchPlan plan, double ramp, Random random) => plan.ExerciseId switch
    {
        "cat-cow" => new CatCowMotion(plan, ramp, random),
        "thread-the-needle" => new ThreadTheNeedleMotion(plan, ramp),
        _ => new SupermanMotion(plan, ramp),
    };
}
