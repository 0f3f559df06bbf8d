using PostureSense.FirmwareSim.Sensor;

namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>
/// A scripted stretch of a wearer's day with its ground truth: the segments drive
/// <see cref="Wearer.ScenarioWearer"/>, <see cref="Expected"/> lists every prolonged episode the
/// coaching rules should find (and the rules should find no other), <see cref="Stretches"/> every
/// stretch prompt and what the wearer truly did.
/// </summary>
public sealed class Scenario
{
    internal Scenario(string name, string description, int seed, TimeOnly? startTime,
        IReadOnlyList<ScenarioSegment> segments, IReadOnlyList<ExpectedEpisode> expected, SensorCharacteristics sensor)
    {
        Sensor = sensor;
        Stretches = segments.Where(s => s.Stretch is not null).Select(s => new StretchSession(s.Start - s.Stretch!.PromptedBefore, s.End, s.Stretch) { InChair = s.Mimic is not null }).ToArray();
        Name = name;
        Description = description;
        Seed = seed;
        StartTime = startTime;
        Segments = segments;
        Expected = expected;
        Duration = segments[^1].End;
    }

    /// <summary>The folder the shipped scenario files are copied to, beside the assembly.</summary>
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "Scenarios");

    /// <summary>Names of the shipped scenarios, sorted ("upright-hour", "gradual-slouch"...).</summary>
    public static IReadOnlyList<string> ShippedNames =>
        Directory.Exists(ShippedDirectory)
            ? Directory.GetFiles(ShippedDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];

    public string Name { get; }
    public string Description { get; }
    /// <summary>Seeds the wearer's sway and gait phases.</summary>
    public int Seed { get; }
    /// <summary>Local time of day at which the scenario is meant to start (e.g. 09:00 for a workday), if it says.</summary>
    public TimeOnly? StartTime { get; }
    public IReadOnlyList<ScenarioSegment> Segments { get; }
    public IReadOnlyList<ExpectedEpisode> Expected { get; }
    /// <summary>The wearer's board: mounting, noise, gyro offset and its drift (a typical one unless the file says).</summary>
    public SensorCharacteristics Sensor { get; }
    /// <summary>Every stretch prompt in the scenario with what the wearer did about it, in time order.</summary>
    public IReadOnlyList<StretchSession> Stretches { get; }
    public TimeSpan Duration { get; }

    /// <summary>A shipped scenario by name, or a scenario file by path.</summary>
    /// <exception cref="ScenarioException">Unknown name, unreadable or invalid file.</exception>
    public static Scenario Load(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        var looksLikePath = nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || nameOrPath.Contains(Path.DirectorySeparatorChar) || nameOrPath.Contains(Path.AltDirectorySeparatorChar);
        string path, shown;
        if (looksLikePath)
        {
            path = shown = nameOrPath;
        }
        else
        {
            path = Path.Combine(ShippedDirectory, nameOrPath + ".json");
            shown = nameOrPath + ".json";
            if (!File.Exists(path))
                throw new ScenarioException($"Unknown scenario '{nameOrPath}'; shipped scenarios: {string.Join(", ", ShippedNames)}");
        }

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException($"{shown}: cannot read the scenario file: {e.Message}", e);
        }
        return Parse(json, shown);
    }

    /// <summary>A scenario from JSON text; <paramref name="source"/> names it in error messages.</summary>
    public static Scenario Parse(string json, string source = "scenario") => ScenarioParser.Parse(json, source);

    /// <summary>The segment in force at <paramref name="offset"/> (the last one after the end).</summary>
    public int SegmentIndexAt(TimeSpan offset)
    {
        int lo = 0, hi = Segments.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (Segments[mid].Start <= offset) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    public override string ToString() => $"{Name} ({Duration})";
}
