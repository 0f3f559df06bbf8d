using System.Globalization;

namespace PostureSense.Demo;

/// <summary>The demo's voice: one line per event, stamped with the simulated time of day.</summary>
public sealed class DemoConsole(TextWriter output)
{
    readonly Lock _gate = new();
    readonly Dictionary<DemoEventKind, int> _counts = [];

    public void Started(DemoSession session)
    {
        var s = session;
        Line($"PostureSense demo: '{s.Scenario.Name}', {s.Scenario.Duration.TotalHours:0.#} h of a workday at {s.Clock.Speed:0.#}x " +
             $"(about {(s.Scenario.Duration / s.Clock.Speed).TotalMinutes:0.#} min), wearer '{s.Options.DeviceId}'.");
        Line($"Dashboard: {s.DashboardUrl}  sign in as {s.Login.Email}, password {s.Login.Password}");
        if (s.SeededFrames > 0)
            Line($"History: {s.Options.HistoryDays} past days ({s.SeededFrames:N0} frames) stored in {s.SeedTime.TotalSeconds:0.0} s.");
        Line($"Device '{s.Options.DeviceId}' provisioned; its pairing code {s.PairingCode} claimed it for the demo wearer.");
        Line($"MQTT broker (embedded): 127.0.0.1:{s.Server.MqttPort}. Ctrl+C to stop.");
    }

    public void Print(DemoEvent e)
    {
        lock (_gate)
        {
            _counts[e.Kind] = _counts.GetValueOrDefault(e.Kind) + 1;
            var local = TimeZoneInfo.ConvertTime(e.At, TimeZoneInfo.Local);
            output.WriteLine($"[{local.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {Label(e.Kind),-9} {e.Text}");
            output.Flush();
        }
    }

    public void DayOver(DemoSession session, bool exiting) =>
        Line(exiting
            ? "The simulated workday is over."
            : $"The simulated workday is over; the dashboard stays up at {session.DashboardUrl} until Ctrl+C.");

    public void Summary(DemoSession session)
    {
        lock (_gate)
            Line($"Nudges {_counts.GetValueOrDefault(DemoEventKind.Nudge)}, prompts {_counts.GetValueOrDefault(DemoEventKind.Prompt)}, " +
                 $"vibrations {session.Motor.Vibrations.Count}, acks {_counts.GetValueOrDefault(DemoEventKind.Ack)}." +
                 (session.SensorOverflows > 0 ? $" The sensor was drained late {session.SensorOverflows} time(s) (a busy machine at {session.Clock.Speed:0.#}x); a second of samples was lost each time." : ""));
    }

    static string Label(DemoEventKind kind) => kind switch
    {
        DemoEventKind.Nudge => "nudge",
        DemoEventKind.Prompt => "prompt",
        DemoEventKind.Vibration => "vibrate",
        DemoEventKind.Ack => "ack",
        _ => kind.ToString(),
    };

    void Line(string text)
    {
        lock (_gate)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }
}
