using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.Eval.Running;

/// <summary>The scenarios an eval run is about: those asked for, or the whole shipped library.</summary>
public static class ScenarioLibrary
{
    /// <exception cref="ScenarioException">A name that is not shipped, or a file that is not a valid scenario.</exception>
    public static IReadOnlyList<Scenario> Load(EvalOptions options)
    {
        var sources = options.Scenarios
            .Concat(options.Directories.SelectMany(d => Directory.GetFiles(d, "*.json").Order(StringComparer.Ordinal)))
            .ToList();
        if (sources.Count == 0) sources.AddRange(Scenario.ShippedNames);
        if (sources.Count == 0) throw new ScenarioException($"no scenarios found: the shipped ones should be in {Scenario.ShippedDirectory}");
        var scenarios = sources.Select(Scenario.Load).ToArray();
        var twice = scenarios.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ScenarioException($"scenario \"{twice.Key}\" is named twice; names tell the rows apart");
        return scenarios;
    }
}
