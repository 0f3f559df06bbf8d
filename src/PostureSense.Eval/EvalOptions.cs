using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;
using PostureSense.Eval.Scoring;
using PostureSense.Eval.Sweep;
using PostureSense.Hosting.Options;

namespace PostureSense.Eval;

/// <summary>What the eval runs: from the command line, <c>POSTURESENSE_*</c> variables or appsettings.json.</summary>
public sealed record EvalOptions
{
    /// <summary>Shipped scenario names or scenario files; empty: every shipped scenario (the library).</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    /// <summary>Folders whose every *.json is a scenario.</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>What the detections are scored against: the files' expected episodes, or the reference rules.</summary>
    public TruthSource Truth { get; init; } = TruthSource.File;
    public bool ShowHelp { get; init; }
    /// <summary>Run the threshold sweep too, and draw it to <see cref="SweepPng"/>.</summary>
    public bool Sweep { get; init; }
    public string SweepPng { get; init; } = DefaultSweepPng;
    public int SweepSeeds { get; init; } = ThresholdSweep.DefaultSeeds;
    public IReadOnlyList<double> SweepAngles { get; init; } = ThresholdSweep.DefaultAngles;

    /// <summary>Where the sweep's chart goes unless told: the working directory, where the eval is run from.</summary>
    public const string DefaultSweepPng = "threshold-sweep.png";
    public const int MaxSweepSeeds = 100;

    public const int MaxParallelism = 64;

    static RootCommand Command() => ProgramCommandLine.Root(
        "Replays scenarios through the device pipeline and the server's detectors, in event time, and scores them " +
        "against their ground truth. Exit code 0 when every goal that applies is met, 1 when one is missed, 2 for " +
        "bad options or scenario files.",
        new Option<string[]>("--scenario")
        {
            HelpName = "NAME|PATH",
            Arity = ArgumentArity.OneOrMore,
            Description = "a shipped scenario or a scenario file (repeatable); default: the whole library",
        },
        new Option<string[]>("--dir")
        {
            HelpName = "PATH",
            Arity = ArgumentArity.OneOrMore,
            Description = "every *.json scenario in a folder (repeatable)",
        },
        new Option<int>("--parallel")
        {
            HelpName = "N",
            Description = $"scenarios replayed at once, 1-{MaxParallelism} (default: the number of CPUs)",
        },
        new Option<string>("--truth")
        {
            HelpName = "file|reference",
            Description = "score against each scenario file's expected episodes (default), or against the reference rules applied to the wearer's true posture",
        },
        new Option<bool>("--sweep")
        {
            Description = "also run the threshold sweep: hunches held at fixed angles around 20°, as a table and a PNG",
        },
        new Option<string>("--sweep-png")
        {
            HelpName = "PATH",
            Description = $"where the sweep's chart is written, a .png in an existing folder (default {DefaultSweepPng}); implies --sweep",
        },
        new Option<int>("--sweep-seeds")
        {
            HelpName = "N",
            Description = $"seeded sessions per angle, 1-{MaxSweepSeeds} (default {ThresholdSweep.DefaultSeeds}); implies --sweep",
        },
        new Option<string>("--sweep-angles")
        {
            HelpName = "DEG,DEG,...",
            Description = "the held angles, 0-60° each (default 15 to 25 in 0.5 steps); implies --sweep",
        });

    /// <summary>The generated help.</summary>
    public static string Usage => ProgramCommandLine.Help(Command());

    /// <exception cref="OptionsException">Every problem, in one line.</exception>
    public static EvalOptions Parse(IReadOnlyList<string> args, SettingsSources? sources = null)
    {
        var parsed = ProgramCommandLine.Parse(Command(), args);
        if (ProgramCommandLine.WantsHelp(parsed)) return new EvalOptions { ShowHelp = true };
        var layers = LayeredConfiguration.Load(parsed, sources);
        var settings = layers.Settings.Get<EvalSettings>() ?? new EvalSettings();
        var problems = layers.StartChecks();
        foreach (var dir in settings.Dir.Where(dir => !Directory.Exists(dir)))
            problems.Add($"{layers.SourceOf("Dir")} '{dir}': no such folder");
        if (settings.Parallel is { } parallel and not (>= 1 and <= MaxParallelism))
            problems.Add($"{layers.SourceOf("Parallel")} '{parallel}' must be a whole number from 1 to {MaxParallelism}");
        TruthSource? truth = settings.Truth?.ToLowerInvariant() switch
        {
            null or "file" => TruthSource.File,
            "reference" => TruthSource.Reference,
            _ => null,
        };
        if (truth is null)
            problems.Add($"{layers.SourceOf("Truth")} '{settings.Truth}' must be file or reference");
        if (settings.SweepSeeds is { } seeds and not (>= 1 and <= MaxSweepSeeds))
            problems.Add($"{layers.SourceOf("SweepSeeds")} '{seeds}' must be a whole number from 1 to {MaxSweepSeeds}");
        var angles = settings.SweepAngles is { } anglesText ? ParseAngles(anglesText, layers.SourceOf("SweepAngles"), problems) : ThresholdSweep.DefaultAngles;
        if (settings.SweepPng is { } png) CheckPng(png, layers.SourceOf("SweepPng"), problems);
        problems.ThrowIfAny();
        return new EvalOptions
        {
            Scenarios = settings.Scenario,
            Directories = settings.Dir,
            Parallelism = settings.Parallel ?? Environment.ProcessorCount,
            Truth = truth ?? TruthSource.File,
            Sweep = settings.Sweep || settings.SweepPng is not null || settings.SweepSeeds is not null || settings.SweepAngles is not null,
            SweepPng = settings.SweepPng ?? DefaultSweepPng,
            SweepSeeds = settings.SweepSeeds ?? ThresholdSweep.DefaultSeeds,
            SweepAngles = angles,
        };
    }

    static IReadOnlyList<double> ParseAngles(string text, string source, OptionProblems problems)
    {
        var angles = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var angle) && angle is >= 0 and <= 60)
                angles.Add(angle);
            else
            {
                problems.Add($"{source} '{text}' must be angles from 0 to 60 degrees separated by commas, like 15,19.5,25");
                return ThresholdSweep.DefaultAngles;
            }
        }
        return [.. angles.Distinct().Order()];
    }

    /// <summary>Checked before the library runs, so a run of minutes does not end in a file that cannot be written.</summary>
    static void CheckPng(string path, string source, OptionProblems problems)
    {
        if (string.IsNullOrWhiteSpace(path) || !path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            problems.Add($"{source} '{path}' must be a file name ending in .png");
        else if (Directory.Exists(path))
            problems.Add($"{source} '{path}' is a folder, not a file");
        else if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder && !Directory.Exists(folder))
            problems.Add($"{source} '{path}': no such folder '{folder}'");
    }
}

/// <summary>The eval's settings as written; each property is an option (<c>Dir</c> is <c>--dir</c>).</summary>
internal sealed class EvalSettings
{
    public List<string> Scenario { get; set; } = [];
    public List<string> Dir { get; set; } = [];
    public int? Parallel { get; set; }
    public string? Truth { get; set; }
    public bool Sweep { get; set; }
    public string? SweepPng { get; set; }
    public int? SweepSeeds { get; set; }
    public string? SweepAngles { get; set; }
}
