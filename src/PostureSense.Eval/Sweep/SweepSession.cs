using System.Globalization;
using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.Eval.Sweep;

/// <summary>
/// One session of the threshold sweep: the wearer sits upright (the device calibrates there), leans
/// into a hunch held at one trunk angle long enough for the prolonged-hunch rule to be met twice
/// over, and sits up again. Short of 30 min, so prolonged sitting never comes into it.
/// </summary>
public static class SweepSession
{
    public static readonly TimeSpan Upright = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan Ramp = TimeSpan.FromSeconds(20);
    /// <summary>5 min of hunching meets the rule; 7 min leaves room for fusion to settle after the ramp.</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromMinutes(7);
    public static readonly TimeSpan After = TimeSpan.FromMinutes(2);

    /// <summary>The session as a scenario, so it runs through exactly what the library's scenarios run through.</summary>
    public static Scenario Of(double angleDeg, int seed)
    {
        var angle = angleDeg.ToString("0.0##", CultureInfo.InvariantCulture);
        var json = string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "name": "sweep-{{angle}}-seed-{{seed}}",
              "description": "A hunch held at {{angle}} degrees of trunk flexion, between upright sitting.",
              "seed": {{seed}},
              "segments": [
                { "activity": "sit", "seconds": {{Upright.TotalSeconds}}, "pitch": 0, "label": "upright" },
                { "activity": "sit", "seconds": {{(Ramp + Hold).TotalSeconds}}, "pitch": {{angle}}, "rampSeconds": {{Ramp.TotalSeconds}}, "label": "hunch" },
                { "activity": "sit", "seconds": {{After.TotalSeconds}}, "pitch": 0, "rampSeconds": 10, "label": "upright" }
              ],
              "expected": []
            }
            """);
        return Scenario.Parse(json, $"sweep session {angle}° seed {seed}");
    }

    /// <summary>The held part, after the ramp: where the true flexion is the angle asked for.</summary>
    public static (int FromSecond, int ToSecond) HoldSeconds =>
        ((int)(Upright + Ramp).TotalSeconds, (int)(Upright + Ramp + Hold).TotalSeconds);
}
