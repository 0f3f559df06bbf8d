using PostureSense.Core.Contract;
using PostureSense.Eval.Running;
using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.Eval.Scoring;

/// <summary>One stretch session: what the wearer truly did and what the device reported in its last ack.</summary>
/// <param name="Status">The status of the device's last ack of the command (received: it never gave a result).</param>
public sealed record StretchScore(StretchSession Session, string Status, int? CountedReps, IReadOnlyList<double> CountedHoldsS)
{
    /// <summary>Holds are right when each is within this of the truth.</summary>
    public static readonly TimeSpan HoldTolerance = TimeSpan.FromSeconds(3);

    public string ExerciseId => Session.ExerciseId;
    public int TrueReps => Session.Plan.Reps;
    public IReadOnlyList<double> TrueHoldsS => Session.Plan.HoldsS;
    public bool ShouldBeDone => Session.Plan.Done;
    public bool ReportedDone => Status == CommandAck.Statuses.Done;
    /// <summary>The device gave an outcome (done or not) at all.</summary>
    public bool Answered => Status is CommandAck.Statuses.Done or CommandAck.Statuses.Dismissed;
    public bool OutcomeRight => Answered && ReportedDone == ShouldBeDone;
    public int RepsError => Math.Abs((CountedReps ?? 0) - TrueReps);
    public bool HoldCountRight => CountedHoldsS.Count == TrueHoldsS.Count;

    /// <summary>The largest difference between a counted hold and the true one (in order), seconds; 0 with no holds.</summary>
    public double MaxHoldErrorS => HoldCountRight && TrueHoldsS.Count > 0
        ? TrueHoldsS.Zip(CountedHoldsS, (t, c) => Math.Abs(t - c)).Max()
        : HoldCountRight ? 0 : double.PositiveInfinity;

    public bool HoldsRight => HoldCountRight && MaxHoldErrorS <= HoldTolerance.TotalSeconds;

    public static IReadOnlyList<StretchScore> Of(ScenarioOutcome outcome) =>
        outcome.Scenario.Stretches.Select((session, i) =>
        {
            var last = outcome.Acks.LastOrDefault(a => a.Ack.Id == outcome.StretchCommands.ElementAtOrDefault(i)).Ack;
            return new StretchScore(session, last?.Status ?? "none", last?.Reps, last?.HoldsS ?? []);
        }).ToArray();
}
