using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;
using PostureSense.Server.Configuration;
using PostureSense.Storage;

namespace PostureSense.PageTiming;

/// <summary>The command line: <c>[--store LOCATION] [--runs N] [--width PX] [--chromium PATH]</c>.</summary>
sealed record TimingOptions(StoreLocation? Store, int Runs, int Width, string Chromium)
{
    static RootCommand Command() => ProgramCommandLine.Root(
        "How long the Today page of a whole worn day takes to show in a real browser, the server in-process.",
        new Option<string>("--store") { HelpName = "sqlite:PATH|influxdb://HOST:PORT/DB", Description = "the store to time (default a new SQLite file)" },
        new Option<int>("--runs") { HelpName = "N", Description = "page loads, 1-100 (default 5)" },
        new Option<int>("--width") { HelpName = "PX", Description = "the browser's width, 320-3840 (default 1280)" },
        new Option<string>("--chromium") { HelpName = "PATH", Description = "the browser (default /usr/bin/chromium)" });

    public static string Usage => ProgramCommandLine.Help(Command());

    public static bool WantsHelp(string[] args) => ProgramCommandLine.WantsHelp(ProgramCommandLine.Parse(Command(), args));

    /// <summary>The options, every problem in one <see cref="OptionsException"/>.</summary>
    public static TimingOptions Parse(string[] args)
    {
        var layers = LayeredConfiguration.Load(ProgramCommandLine.Parse(Command(), args));
        var settings = layers.Settings.Get<TimingSettings>() ?? new TimingSettings();
        var problems = layers.StartChecks();
        var store = settings.Store is { } location ? problems.Check(() => StoreLocation.Parse(location, layers.SourceOf("Store")), null) : null;
        var runs = Number(settings.Runs, "Runs", 5, 1, 100);
        var width = Number(settings.Width, "Width", 1280, 320, 3840);
        var chromium = settings.Chromium ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
            problems.Add(settings.Chromium is null
                ? $"no chromium at {chromium} (apt-get install chromium, or --chromium PATH)"
                : $"{layers.SourceOf("Chromium")} '{chromium}': no such file");
        problems.ThrowIfAny();
        return new TimingOptions(store, runs, width, chromium);

        int Number(int? value, string key, int fallback, int min, int max)
        {
            if (value is not { } n) return fallback;
            if (n >= min && n <= max) return n;
            problems.Add($"{layers.SourceOf(key)} '{n}' must be a whole number from {min} to {max}");
            return fallback;
        }
    }
}

/// <summary>The timing's settings as written; each property is an option.</summary>
internal sealed class TimingSettings
{
    public string? Store { get; set; }
    public int? Runs { get; set; }
    public int? Width { get; set; }
    public string? Chromium { get; set; }
}
