using System.Globalization;
using PostureSense.Core.Configuration;

namespace PostureSense.Eval;

/// <summary>The eval's command line.</summary>
public sealed record EvalOptions
{
    /// <summary>Shipped scenario names or scenario files; empty: every shipped scenario (the library).</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    /// <summary>Folders whose every *.json is a scenario.</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public bool ShowHelp { get; init; }

    public const string Usage = """
        Replays scenarios through the device pipeline and the server's detectors, in event time, and
        scores them against their ground truth.

        usage: PostureSense.Eval [--scenario NAME|PATH]... [--dir PATH]... [--parallel N]

          --scenario NAME|PATH  a shipped scenario or a scenario file (repeatable); default: the whole library
          --dir PATH            every *.json scenario in a folder (repeatable)
          --parallel N          scenarios replayed at once, 1-64 (default: the number of CPUs)
          --help                this text

        Exit code 0 when every goal that applies is met, 1 when one is missed, 2 for bad options or scenario files.
        """;

    /// <exception cref="OptionsException">The first problem, in one line.</exception>
    public static EvalOptions Parse(IReadOnlyList<string> args)
    {
        var scenarios = new List<string>();
        var directories = new List<string>();
        var options = new EvalOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new OptionsException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--scenario":
                    scenarios.Add(Value());
                    break;
                case "--dir":
                    var dir = Value();
                    if (!Directory.Exists(dir)) throw new OptionsException($"--dir {dir}: no such folder");
                    directories.Add(dir);
                    break;
                case "--parallel":
                    var text = Value();
                    options = options with
                    {
                        Parallelism = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64
                            ? n
                            : throw new OptionsException($"--parallel {text}: must be a whole number from 1 to 64"),
                    };
                    break;
                case "--help" or "-h":
                    options = options with { ShowHelp = true };
                    break;
                default:
                    throw new OptionsException($"unknown option {args[i]} (see --help)");
            }
        }
        return options with { Scenarios = scenarios, Directories = directories };
    }
}
