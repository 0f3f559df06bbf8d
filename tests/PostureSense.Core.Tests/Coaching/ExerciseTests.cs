using PostureSense.Core.Exercises;

namespace PostureSense.Core.Tests.Coaching;

public class ExerciseTests
{
    [Fact]
    public void The_catalog_holds_the_five_exercises_of_the_guide_with_their_doses()
    {
        Assert.Equal(
            ["cat-cow:10-15 times", "thread-the-needle:hold 20-30 s each side", "superman:hold 3-5 s, 8-10 times",
             "dumbbell-row:3 sets of 10-12", "band-seated-row:3 sets of 12-15"],
            ExerciseCatalog.All.Select(e => $"{e.Id}:{e.Dose}"));
        Assert.Equal("Exhale, round the spine and tuck the chin (cat).", ExerciseCatalog.CatCow.Steps[2]);
        Assert.All(ExerciseCatalog.All, e => Assert.NotEmpty(e.Steps));
        Assert.Equal(4, ExerciseCatalog.SeeAProfessionalWhen.Count);
    }

    [Fact]
    public void Hunching_is_answered_with_mobility_first()
    {
        var picker = new ExercisePicker();
        var picks = Enumerable.Range(0, 4).Select(_ => picker.Pick(PromptReason.Hunch).Id).ToList();
        Assert.Equal(["cat-cow", "thread-the-needle", "cat-cow", "thread-the-needle"], picks);
    }

    [Fact]
    public void Sitting_is_answered_with_strengthening_after_the_walk()
    {
        var picker = new ExercisePicker();
        var picks = Enumerable.Range(0, 3).Select(_ => picker.Pick(PromptReason.Sitting)).ToList();
        Assert.All(picks, e => Assert.Equal(ExerciseKind.Strengthening, e.Kind));
        Assert.Equal(3, picks.Select(e => e.Id).Distinct().Count());
        Assert.StartsWith("Stand up and walk", ExercisePicker.Lead(PromptReason.Sitting));
    }

    [Fact]
    public void The_wearer_never_gets_the_same_exercise_twice_in_a_row()
    {
        var picker = new ExercisePicker(lastSentId: "cat-cow");
        var reasons = new[] { PromptReason.Hunch, PromptReason.Hunch, PromptReason.Sitting, PromptReason.Hunch, PromptReason.Sitting, PromptReason.Sitting, PromptReason.Hunch };
        string? last = "cat-cow";
        foreach (var reason in reasons)
        {
            var pick = picker.Pick(reason).Id;
            Assert.NotEqual(last, pick);
            last = pick;
        }
    }
}
