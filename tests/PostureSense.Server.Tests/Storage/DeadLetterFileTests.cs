using PostureSense.Core.Contract;
using PostureSense.Storage.DeadLetters;

namespace PostureSense.Server.Tests.Storage;

public sealed class DeadLetterFileTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static DeadLetter Letter(int i) => new(1_795_478_400_000 + i, DeviceId.Parse("desk-1"), "ack", DeadLetterReasons.OutOfRange, "time outside range", $$"""{"n":{{i}}}""");

    [Fact]
    public void Dead_letters_are_kept_beside_the_app_database_and_read_back_after_a_restart()
    {
        var first = DeadLetterFile.Beside(_dir.File("app.db"));
        Assert.True(first.Keep(Letter(1)));
        Assert.True(first.Keep(Letter(2)));

        var reopened = DeadLetterFile.Beside(_dir.File("app.db"));

        Assert.Equal(_dir.File(DeadLetterFile.FileName), reopened.Path);
        Assert.Equal(2, reopened.Count);
        Assert.Equal([Letter(1), Letter(2)], reopened.ReadAll());
    }

    [Fact]
    public void The_file_is_bounded_the_oldest_go_first()
    {
        var file = new DeadLetterFile(_dir.File(DeadLetterFile.FileName), maxBytes: 1000);
        for (var i = 0; i < 100; i++) file.Keep(Letter(i));

        var kept = file.ReadAll();
        Assert.InRange(new FileInfo(file.Path!).Length, 1, 1000);
        Assert.InRange(kept.Count, 2, 20);
        Assert.Equal(kept.Count, file.Count);
        Assert.Equal(Letter(99), kept[^1]);
        Assert.DoesNotContain(Letter(0), kept);
    }

    [Fact]
    public void Without_a_file_the_newest_are_kept_in_memory()
    {
        var memory = new DeadLetterFile(null);
        for (var i = 0; i < DeadLetterFile.MaxInMemory + 5; i++) memory.Keep(Letter(i));

        Assert.Equal(DeadLetterFile.MaxInMemory, memory.Count);
        Assert.Equal(Letter(5), memory.ReadAll()[0]);
    }
}
