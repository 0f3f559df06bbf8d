using PostureSense.Browser.Tests.Support;

namespace PostureSense.Browser.Tests.Pages;

/// <summary>Calibrating from the page reaches the device; the exercises and the warning signs are there to read.</summary>
public sealed class CalibrateAndExercisesTests(Chromium chromium)
{
    [Fact]
    public async Task Calibrate_sends_the_command_to_the_device()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium, Dashboard.PhoneWidth);
        var device = await dashboard.Server.ConnectDeviceAsync("desk-1");
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/devices/desk-1/calibrate");

        await dashboard.ByTestId("calibrate-button").ClickAsync();

        await Eventually.TrueAsync(() => device.Commands.Any(c => c.Type == "calibrate"), "the calibrate command on the device");
        Assert.Contains("sent", await dashboard.TextAsync("calibrate-result"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_exercise_catalog_lists_every_exercise_with_its_steps_and_when_to_see_a_professional()
    {
        await using var dashboard = await Dashboard.StartAsync(chromium, Dashboard.PhoneWidth);
        await dashboard.SignInAsync();
        await dashboard.OpenAsync("/exercises");

        var exercises = await dashboard.ByTestId("exercise").AllInnerTextsAsync();
        Assert.Equal(PostureSense.Core.Exercises.ExerciseCatalog.All.Count, exercises.Count);
        foreach (var exercise in PostureSense.Core.Exercises.ExerciseCatalog.All)
        {
            var card = Assert.Single(exercises, e => e.Contains(exercise.Name));
            Assert.Contains(exercise.Steps[0], card);
        }
        var warnings = await dashboard.TextAsync("see-a-professional");
        Assert.Contains(PostureSense.Core.Exercises.ExerciseCatalog.SeeAProfessionalWhen[0], warnings);
        await dashboard.ScreenshotAsync("exercises-390");
    }
}
