using System.Diagnostics;
using PostureSense.Eval.Running;
using PostureSense.Eval.Scoring;
using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.Eval.Tests;

/// <summary>The whole shipped library replayed and scored once, for every goal test to read.</summary>
public sealed class LibraryFixture
{
    public LibraryFixture()
    {
        var stopwatch = Stopwatch.StartNew();
        Scenarios = ScenarioLibrary.Load(new EvalOptions());
        Score = LibraryRun.Run(Scenarios, Environment.ProcessorCount);
        Elapsed = stopwatch.Elapsed;
    }

    public IReadOnlyList<Scenario> Scenarios { get; }
    public LibraryScore Score { get; }
    public TimeSpan Elapsed { get; }
}

/// <summary>The tests that read the library's run share one: it takes a while.</summary>
[CollectionDefinition(Name)]
public sealed class LibraryCollection : ICollectionFixture<LibraryFixture>
{
    public const string Name = "library";
}
