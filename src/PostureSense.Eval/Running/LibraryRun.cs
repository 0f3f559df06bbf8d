using PostureSense.Eval.Scoring;
using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.Eval.Running;

/// <summary>Replays and scores many scenarios, in parallel: each has its own clock, device and coach.</summary>
public static class LibraryRun
{
    public static LibraryScore Run(IReadOnlyList<Scenario> scenarios, int parallelism, TruthSource truth = TruthSource.File)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var scores = new ScenarioScore[scenarios.Count];
        // The longest first, so a workday does not start last and hold everyone up.
        var order = Enumerable.Range(0, scenarios.Count).OrderByDescending(i => scenarios[i].Duration).ToArray();
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            i => scores[i] = ScenarioScore.Of(ScenarioRun.Run(scenarios[i]), truth));
        return new LibraryScore(scores);
    }
}
