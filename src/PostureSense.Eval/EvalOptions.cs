using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;
using PostureSense.Eval.Scoring;
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
        problems.ThrowIfAny();
        return new EvalOptions
        {
            Scenarios = settings.Scenario,
            Directories = settings.Dir,
            Parallelism = settings.Parallel ?? Environment.ProcessorCount,
            Truth = truth ?? TruthSource.File,
        };
    }
}

/// <summary>The eval's settings as written; each property is an option (<c>Dir</c> is <c>--dir</c>).</summary>
internal sealed class EvalSettings
{
    public List<string> Scenario { get; set; } = [];
    public List<string> Dir { get; set; } = [];
    public int? Parallel { get; set; }
    public string? Truth { get; set; }
}
