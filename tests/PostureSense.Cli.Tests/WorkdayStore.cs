using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Cli.Tests;

/// <summary>A SQLite store in a temp folder holding one whole local day of a wearer: 86,400 frames and two prompts.</summary>
public sealed class WorkdayStore : IAsyncDisposable
{
    public static readonly DateOnly Day = new(2026, 3, 10);
    public static readonly DeviceId Device = DeviceId.Parse("desk-1");

    WorkdayStore(string folder, LocalDay day)
    {
        Folder = folder;
        LocalDay = day;
    }

    public string Folder { get; }
    public string Path => System.IO.Path.Combine(Folder, "posture.db");
    public LocalDay LocalDay { get; }
    public int FrameCount { get; private set; }

    public string File(string name) => System.IO.Path.Combine(Folder, name);

    public static async Task<WorkdayStore> CreateAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("posturesense-cli-").FullName;
        var day = LocalDay.Of(Day, TimeZoneInfo.Local);
        var fixture = new WorkdayStore(folder, day);
        await using var store = await SqliteStore.OpenAsync(fixture.Path, cancellationToken: cancellationToken);
        var frames = new List<PostureFrame>();
        for (var ts = day.FromTs; ts < day.ToTs; ts += 1000)
        {
            var minute = (ts - day.FromTs) / 60_000;
            // Hunched from 10:00 to 10:20, a walk at 12:00, upright otherwise.
            var pitch = minute is >= 600 and < 620 ? 28.0 : 4.0 + minute % 7;
            var walking = minute is >= 720 and < 725;
            frames.Add(new PostureFrame(ts, pitch, -1.0, walking ? 0.2 : 0.01, walking ? 2 : 0));
        }
        await store.WriteFramesAsync(Device, frames, cancellationToken);
        fixture.FrameCount = frames.Count;
        var hunchPrompt = new PromptRecord(Device, "c-1", day.FromTs + 605 * 60_000L, PromptReason.Hunch, "cat-cow", "double", day.FromTs + 600 * 60_000L);
        await store.WritePromptAsync(hunchPrompt, cancellationToken);
        await store.WriteAckAsync(new AckRecord(Device, "c-1", "done", hunchPrompt.Ts + 60_000), cancellationToken);
        await store.WritePromptAsync(new PromptRecord(Device, "c-2", day.FromTs + 630 * 60_000L, PromptReason.Sitting, "superman", "long",
            day.FromTs + 540 * 60_000L), cancellationToken);
        return fixture;
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
