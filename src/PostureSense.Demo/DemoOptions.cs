using System.Globalization;
using System.Net;
using PostureSense.Core.Configuration;
using PostureSense.Server.Configuration;

namespace PostureSense.Demo;

/// <summary>What the demo runs: which simulated day, how fast, where the dashboard listens.</summary>
public sealed record DemoOptions
{
    public const string Usage =
        "usage: PostureSense.Demo [--speed N] [--scenario NAME|PATH] [--http http://127.0.0.1:8080] [--device-id ID] [--history-days N] [--exit-when-done]";

    public const int MaxHistoryDays = 60;

    public double Speed { get; init; } = 60;
    public string Scenario { get; init; } = "demo-workday";
    /// <summary>Null: 127.0.0.1:8080, or a free port if that one is taken.</summary>
    public HttpEndpoint? Http { get; init; }
    /// <summary>The embedded broker's port. Null: 1883, or a free port if that one is taken; 0: any free port.</summary>
    public int? MqttPort { get; init; }
    public string DeviceId { get; init; } = "desk-1";
    public bool ExitWhenDone { get; init; }
    /// <summary>Past days of made-up history stored before the live day starts, so History has something to show.</summary>
    public int HistoryDays { get; init; } = 14;
    /// <summary>The local time of day the simulated day starts at, today.</summary>
    public TimeOnly StartsAt { get; init; } = new(9, 0);

    /// <summary>Parses the command line; throws <see cref="OptionsException"/> with one line for the person who typed it.</summary>
    public static DemoOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DemoOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=');
            var name = eq > 0 ? arg[..eq] : arg;
            string Value() => eq > 0 ? arg[(eq + 1)..]
                : i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i]
                : throw new OptionsException($"option '{name}' needs a value; {Usage}");
            options = name switch
            {
                "--speed" => options with { Speed = ParseSpeed(Value()) },
                "--scenario" => options with { Scenario = NonEmpty(Value(), "--scenario") },
                "--http" => options with { Http = HttpEndpoint.Parse(Value()) },
                "--device-id" => options with { DeviceId = ParseDeviceId(Value()) },
                "--history-days" => options with { HistoryDays = ParseHistoryDays(Value()) },
                "--exit-when-done" when eq < 0 => options with { ExitWhenDone = true },
                _ => throw new OptionsException($"unknown option '{arg}'; {Usage}"),
            };
        }
        return options;
    }

    static double ParseSpeed(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) && speed is >= 1 and <= MaxSpeed
            ? speed
            : throw new OptionsException($"--speed '{text}' must be a number from 1 to {MaxSpeed} (times real time)");

    /// <summary>
    /// The simulated sensor makes 50 samples a second of demo time, 15,000 a real second at 300x,
    /// and its FIFO holds 1.7 s of them: faster, an ordinary scheduling hiccup overflows it so
    /// often that slouches go unseen.
    /// </summary>
    public const double MaxSpeed = 300;

    static int ParseHistoryDays(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= MaxHistoryDays
            ? days
            : throw new OptionsException($"--history-days '{text}' must be a whole number from 0 to {MaxHistoryDays}");

    static string ParseDeviceId(string text) =>
        PostureSense.Core.Contract.DeviceId.IsValid(text) ? text : throw new OptionsException($"--device-id '{text}' must match ^[a-z0-9][a-z0-9-]{{0,62}}$");

    static string NonEmpty(string text, string option) =>
        string.IsNullOrWhiteSpace(text) ? throw new OptionsException($"{option} needs a value; {Usage}") : text;

    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "-h" or "--help" or "-?");

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
