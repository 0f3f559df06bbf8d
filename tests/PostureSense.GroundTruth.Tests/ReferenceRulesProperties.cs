using CsCheck;
using PostureSense.GroundTruth;

namespace PostureSense.GroundTruth.Tests;

// What must hold of any day, not only the hand-made ones.
public class ReferenceRulesProperties
{
    // Stretches of a posture near and far from the threshold, short and long, in any order.
    static readonly double[] Angles = [0, 15, 19, 19.5, 20, 20.5, 21, 25, 80];

    static readonly Gen<TruthSecond[]> Days =
        Gen.Select(Gen.Enum<Activity>(), Gen.Int[0, Angles.Length - 1].Select(i => Angles[i]), Gen.Int[1, 600])
            .Array[1, 25]
            .Select(stretches => stretches.SelectMany(s => Enumerable.Repeat(new TruthSecond(s.Item2, s.Item1), s.Item3)).ToArray());

    [Fact]
    public void Starting_later_moves_every_episode_by_as_much()
    {
        Gen.Select(Days, Gen.Int[1, 3600]).Sample((day, delay) =>
        {
            // Walking first: it neither hunches nor sits, so it only moves the clock.
            var later = Enumerable.Repeat(new TruthSecond(0, Activity.Walking), delay).Concat(day).ToArray();

            var moved = ReferenceRules.Episodes(day)
                .Select(e => e with { Start = e.Start + delay, CriterionMet = e.CriterionMet + delay, End = e.End + delay });
            Assert.Equal(moved, ReferenceRules.Episodes(later));
        });
    }

    [Fact]
    public void What_comes_later_does_not_change_an_episode_already_met()
    {
        Gen.Select(Days, Days).Sample((day, after) =>
        {
            var longer = ReferenceRules.Episodes([.. day, .. after]);

            foreach (var episode in ReferenceRules.Episodes(day).Where(e => e.CriterionMet <= day.Length))
                Assert.Contains(longer, e => e.Kind == episode.Kind && e.Start == episode.Start && e.CriterionMet == episode.CriterionMet);
        });
    }

    [Fact]
    public void Walking_on_after_the_end_changes_nothing()
    {
        Gen.Select(Days, Gen.Int[1, 600]).Sample((day, walk) =>
        {
            var walkedOn = day.Concat(Enumerable.Repeat(new TruthSecond(0, Activity.Walking), walk)).ToArray();

            Assert.Equal(ReferenceRules.Episodes(day), ReferenceRules.Episodes(walkedOn));
        });
    }

    [Fact]
    public void Every_episode_starts_before_its_criterion_and_ends_after_it()
    {
        Days.Sample(day =>
        {
            foreach (var e in ReferenceRules.Episodes(day).Concat(ReferenceRules.MarginalHunches(day)))
                Assert.True(e.Start < e.CriterionMet && e.CriterionMet <= e.End && e.End <= day.Length, e.ToString());
        });
    }
}
