using System.Diagnostics;
using PostureSense.Core.Configuration;
using PostureSense.Eval;
using PostureSense.Eval.Reporting;
using PostureSense.Eval.Running;
using PostureSense.Eval.Scoring;
using PostureSense.Eval.Sweep;
using PostureSense.FirmwareSim.Scenarios;

EvalOptions options;
IReadOnlyList<Scenario> scenarios;
try
{
    options = EvalOptions.Parse(args);
    if (options.ShowHelp)
    {
        Console.WriteLine(EvalOptions.Usage);
        return 0;
    }
    scenarios = ScenarioLibrary.Load(options);
}
catch (Exception e) when (e is OptionsException or ScenarioException)
{
    Console.Error.WriteLine($"PostureSense.Eval: {e.Message}");
    return 2;
}

var stopwatch = Stopwatch.StartNew();
var score = LibraryRun.Run(scenarios, options.Parallelism, options.Truth);
var goals = Goals.Default;
Console.Write(EvalReport.Render(score, goals, stopwatch.Elapsed));
Console.Write('\n' + PostureSense.Eval.Budget.PitchBudgetReport.Render(PostureSense.Eval.Budget.PitchBudget.Run()));
if (options.Sweep)
{
    var sweep = ThresholdSweep.Run(options.SweepAngles, options.SweepSeeds, options.Parallelism);
    try
    {
        SweepChart.Save(sweep, options.SweepPng);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.Write('\n' + SweepReport.Render(sweep, pngPath: null));
        Console.Error.WriteLine($"PostureSense.Eval: cannot write the sweep's chart to '{options.SweepPng}': {e.Message}");
        return 2;
    }
    Console.Write('\n' + SweepReport.Render(sweep, Path.GetFullPath(options.SweepPng)));
}
return goals.Check(score).Any(c => c.Status == GoalStatus.Missed) ? 1 : 0;
