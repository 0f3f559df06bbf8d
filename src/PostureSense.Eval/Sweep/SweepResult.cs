namespace PostureSense.Eval.Sweep;

/// <summary>What a held angle is to the 20° rule, as the scorer sees it.</summary>
public enum SweepClass
{
    /// <summary>More than the margin under the threshold: a prompt is false.</summary>
    Upright,
    /// <summary>Within the margin of the threshold (19-21° by default): a real board's offsets could read it either side.</summary>
    DontCare,
    /// <summary>More than the margin over the threshold: it must be found.</summary>
    Hunch,
}

/// <summary>One session of the sweep as it came out.</summary>
/// <param name="TrueFlexionDeg">The wearer's true flexion from the calibrated upright, averaged over the hold.</param>
/// <param name="ReadPitchDeg">The pitch the device reported, averaged over the same seconds: the reading the 20° rule is applied to.</param>
/// <param name="Detected">The server's detector found a prolonged hunch.</param>
/// <param name="Prompted">The coaching sent a hunch prompt.</param>
public sealed record SweepSessionResult(double AngleDeg, int Seed, double TrueFlexionDeg, double ReadPitchDeg, bool Detected, bool Prompted);

/// <summary>Every session at one held angle.</summary>
public sealed record SweepRow(double AngleDeg, SweepClass Class, IReadOnlyList<SweepSessionResult> Sessions)
{
    public int Detected => Sessions.Count(s => s.Detected);
    public int Prompted => Sessions.Count(s => s.Prompted);
    public double DetectionRate => (double)Detected / Sessions.Count;
    public double PromptRate => (double)Prompted / Sessions.Count;
    public double MeanTrueFlexionDeg => Sessions.Average(s => s.TrueFlexionDeg);
    public double MeanReadPitchDeg => Sessions.Average(s => s.ReadPitchDeg);
}

/// <summary>The sweep: a row per angle and the totals the don't-care band is left out of.</summary>
public sealed record SweepResult(double ThresholdDeg, double MarginDeg, IReadOnlyList<SweepRow> Rows)
{
    IEnumerable<SweepSessionResult> Of(SweepClass c) => Rows.Where(r => r.Class == c).SelectMany(r => r.Sessions);

    public int HunchSessions => Of(SweepClass.Hunch).Count();
    public int HunchDetected => Of(SweepClass.Hunch).Count(s => s.Detected);
    /// <summary>Found of the holds clearly over the threshold; 1 when there were none.</summary>
    public double Recall => HunchSessions == 0 ? 1 : (double)HunchDetected / HunchSessions;

    public int UprightSessions => Of(SweepClass.Upright).Count();
    public int UprightPrompted => Of(SweepClass.Upright).Count(s => s.Prompted);
    /// <summary>Prompted of the holds clearly under the threshold; 0 when there were none.</summary>
    public double FalsePromptRate => UprightSessions == 0 ? 0 : (double)UprightPrompted / UprightSessions;

    public int DontCareSessions => Of(SweepClass.DontCare).Count();
    public int DontCareDetected => Of(SweepClass.DontCare).Count(s => s.Detected);
    public int DontCarePrompted => Of(SweepClass.DontCare).Count(s => s.Prompted);
}
