using PostureSense.Core.Contract;
using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;
using PostureSense.Server.Configuration;

namespace PostureSense.Demo;

/// <summary>What the demo runs: which simulated day, how fast, where the dashboard listens.</summary>
public sealed record DemoOptions
{
    public const int MaxHistoryDays = 60;

    public double Speed { get; init; } = 60;
    public string Scenario { get; init; } = "demo-workday";
    /// <summary>Null: 127.0.0.1:8080, or a free port if that one is taken.</summary>
    public HttpEndpoint? Http { get; init; }
    /// <summary>The embedded broker's port. Null: 1883, or a free port if that one is taken; 0: any free port.</summary>
    public int? MqttPort { get; init; }
    public DeviceId DeviceId { get; init; } = PostureSense.Core.Contract.DeviceId.Parse("desk-1");
    public bool ExitWhenDone { get; init; }
    /// <summary>Past days of made-up history stored before the live day starts, so History has something to show.</summary>
    public int HistoryDays { get; init; } = 14;
    /// <summary>The local time of day the simulated day starts at, today.</summary>
    public TimeOnly StartsAt { get; init; } = new(9, 0);
    /// <summary>How far the device's system clock is from true time (a Pi without a real-time clock); zero: it is right.</summary>
    public TimeSpan DeviceClockOffset { get; init; }
    /// <summary>With <see cref="DeviceClockOffset"/>: when network time sets it right; null: never, and it counts itself right.</summary>
    public TimeSpan? DeviceClockSyncAfter { get; init; }

    static RootCommand Command() => ProgramCommandLine.Root(
        "The whole system on its embedded defaults: broker, server, SQLite and one simulated wearer going through " +
        "a workday on an accelerated clock, printing what happens as it happens.",
        new Option<double>("--speed") { HelpName = "N", Description = $"times real time, 1-{MaxSpeed} (default 60)" },
        new Option<string>("--scenario")
        {
            HelpName = "NAME|PATH",
            Description = $"the simulated day: a shipped scenario or a scenario file (default demo-workday); shipped: {string.Join(", ", PostureSense.FirmwareSim.Scenarios.Scenario.ShippedNames)}",
        },
        new Option<string>("--http") { HelpName = "URL", Description = "where the dashboard listens (default http://127.0.0.1:8080, or a free port if that is taken)" },
        new Option<string>("--device-id") { HelpName = "ID", Description = "the simulated device (default desk-1)" },
        new Option<int>("--history-days") { HelpName = "N", Description = $"past days of made-up history to store first, 0-{MaxHistoryDays} (default 14)" },
        new Option<bool>("--exit-when-done") { Description = "exit when the simulated day is over instead of serving the dashboard until Ctrl+C" });

    /// <summary>The generated help.</summary>
    public static string Usage => ProgramCommandLine.Help(Command());

    public static bool WantsHelp(IReadOnlyList<string> args) => ProgramCommandLine.WantsHelp(ProgramCommandLine.Parse(Command(), args));

    /// <summary>
    /// Reads the command line over <c>POSTURESENSE_*</c> variables over appsettings.json in the working
    /// directory; throws <see cref="OptionsException"/> naming every problem in one line.
    /// </summary>
    public static DemoOptions Parse(IReadOnlyList<string> args, SettingsSources? sources = null)
    {
        var layers = LayeredConfiguration.Load(ProgramCommandLine.Parse(Command(), args), sources);
        var settings = layers.Settings.Get<DemoSettings>() ?? new DemoSettings();
        var problems = layers.StartChecks();
        var options = new DemoOptions { ExitWhenDone = settings.ExitWhenDone };
        if (settings.Speed is { } speed)
        {
            if (speed is >= 1 and <= MaxSpeed) options = options with { Speed = speed };
            else problems.Add($"{layers.SourceOf("Speed")} '{speed.ToString(CultureInfo.InvariantCulture)}' must be a number from 1 to {MaxSpeed} (times real time)");
        }
        if (settings.Scenario is { } scenario) options = options with { Scenario = scenario };
        if (settings.Http is { } http) options = options with { Http = problems.Check(() => HttpEndpoint.Parse(http, layers.SourceOf("Http")), null) };
        if (settings.DeviceId is { } deviceId)
        {
            if (PostureSense.Core.Contract.DeviceId.TryParse(deviceId, out var parsed)) options = options with { DeviceId = parsed };
            else problems.Add($"{layers.SourceOf("DeviceId")} '{deviceId}' must match ^[a-z0-9][a-z0-9-]{{0,62}}$");
        }
        if (settings.HistoryDays is { } days)
        {
            if (days is >= 0 and <= MaxHistoryDays) options = options with { HistoryDays = days };
            else problems.Add($"{layers.SourceOf("HistoryDays")} '{days}' must be a whole number from 0 to {MaxHistoryDays}");
        }
        problems.ThrowIfAny();
        return options;
    }

    /// <summary>
    /// The simulated sensor makes 50 samples a second of demo time, 15,000 a real second at 300x,
    /// and its FIFO holds 1.7 s of them: faster, an ordinary scheduling hiccup overflows it so
    /// often that slouches go unseen.
    /// </summary>
    public const double MaxSpeed = 300;

    /// <summary>The default port if it is free, else any free one: a second demo, or a server already on 8080, should not stop the first run.</summary>
    public static int FreeOr(IPAddress address, int preferred)
    {
        try
        {
            var probe = new System.Net.Sockets.TcpListener(address, preferred);
            probe.Start();
            probe.Stop();
            return preferred;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return 0;
        }
    }
}

/// <summary>The demo's settings as written; each property is an option (<c>HistoryDays</c> is <c>--history-days</c>).</summary>
internal sealed class DemoSettings
{
    public double? Speed { get; set; }
    public string? Scenario { get; set; }
    public string? Http { get; set; }
    public string? DeviceId { get; set; }
    public int? HistoryDays { get; set; }
    public bool ExitWhenDone { get; set; }
}
