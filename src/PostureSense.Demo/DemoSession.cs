using System.Net;
using Microsoft.Extensions.Logging;
using PostureSense.Accounts.Devices;
using PostureSense.Agent;
using PostureSense.Agent.Clock;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.Time;
using PostureSense.Demo.History;
using PostureSense.FirmwareSim.Clock;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.Server;
using PostureSense.Server.Configuration;
using PostureSense.Server.History;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Demo;

/// <summary>How to sign in to the demo's dashboard as its wearer.</summary>
public sealed record DemoLogin(string Email, string Password);

/// <summary>Something worth printing: when (on the demo's clock), what kind, and what happened.</summary>
public sealed record DemoEvent(DateTimeOffset At, DemoEventKind Kind, string Text);

public enum DemoEventKind { Nudge, Prompt, Vibration, Ack }

/// <summary>
/// The whole system in one process: the server with its embedded broker and SQLite, and one
/// simulated wearer running the real agent over real TCP. Every part runs on one accelerated
/// clock, so "recent", "5 minutes" and "the future" mean in the demo what they mean in real life.
/// </summary>
public sealed class DemoSession : IAsyncDisposable
{
    readonly ILoggerFactory _loggers;
    long _wearerId;

    DemoSession(DemoOptions options, Scenario scenario, AcceleratedTimeProvider clock, PostureServer server, ILoggerFactory loggers)
    {
        Options = options;
        Scenario = scenario;
        Clock = clock;
        Server = server;
        _loggers = loggers;
        Motor = new RecordingMotor(clock);
    }

    public DemoOptions Options { get; }
    public Scenario Scenario { get; }
    public AcceleratedTimeProvider Clock { get; }
    public PostureServer Server { get; }
    public RecordingMotor Motor { get; }
    public PostureAgent? Agent { get; private set; }
    /// <summary>When the simulated wearer's day began (the scenario's time zero), after the server's and the account's set-up.</summary>
    public DateTimeOffset WearerStart { get; private set; }
    /// <summary>The demo wearer, who owns the simulated device.</summary>
    public DemoLogin Login { get; private set; } = null!;
    /// <summary>The pairing code the simulated device shows, with which the demo wearer claimed it.</summary>
    public string PairingCode { get; private set; } = "";
    /// <summary>Frames of made-up past days stored at start.</summary>
    public int SeededFrames { get; private set; }
    /// <summary>How long storing them took (real time).</summary>
    public TimeSpan SeedTime { get; private set; }

    /// <summary>Kept after the wearer stops, for the summary.</summary>
    public int SensorOverflows { get; private set; }

    /// <summary>When the simulated day is over, on <see cref="Clock"/>.</summary>
    public DateTimeOffset EndsAt => Clock.Start + Scenario.Duration;

    /// <summary>The dashboard page of the simulated wearer.</summary>
    public Uri DashboardUrl => new(Server.HttpUrl!, $"/devices/{Options.DeviceId}");

    public event Action<DemoEvent>? Happened;

    /// <param name="storePath">The SQLite file the server writes; the caller owns it.</param>
    public static async Task<DemoSession> StartAsync(DemoOptions options, string storePath, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var scenario = Scenario.Load(options.Scenario);
        var clock = new AcceleratedTimeProvider(StartOfDemoDay(options.StartsAt), options.Speed);
        var http = options.Http ?? new HttpEndpoint(IPAddress.Loopback, DemoOptions.FreeOr(IPAddress.Loopback, HttpEndpoint.Default.Port));
        var serverOptions = new ServerOptions
        {
            EmbeddedBrokerAddress = IPAddress.Loopback,
            EmbeddedBrokerPort = options.MqttPort ?? DemoOptions.FreeOr(IPAddress.Loopback, MqttBrokerAddress.DefaultPort),
            Http = http,
            // The demo's own health and metrics are nobody's concern: any free port.
            Management = new HttpEndpoint(IPAddress.Loopback, 0),
            Store = StoreLocation.Parse("sqlite:" + storePath),
        };
        var server = new PostureServer(serverOptions, clock, loggers);
        var session = new DemoSession(options, scenario, clock, server, loggers);
        try
        {
            await server.StartAsync(cancellationToken);
            // Hashing the pairing code takes a key derivation, like the sign-up: side by side they keep
            // the device's start (and so its day on the accelerated clock) from slipping.
            var provisioning = Task.Run(() => server.Accounts.Devices.ProvisionAsync(options.DeviceId, cancellationToken: cancellationToken),
                cancellationToken);
            await session.AddWearerAsync(cancellationToken);
            session.WireEvents();
            await session.StartWearerAsync(await provisioning, cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public const string WearerEmail = "demo@posturesense.test";

    /// <summary>The demo's wearer (a fresh password each run: the dashboard may be reachable from the network), their device, and their past days.</summary>
    async Task AddWearerAsync(CancellationToken cancellationToken)
    {
        var password = "posture-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var accounts = Server.Accounts;
        var made = await accounts.SignUpAsync(WearerEmail, password, cancellationToken);
        var wearer = made.Wearer ?? throw new InvalidOperationException($"cannot make the demo wearer: {string.Join("; ", made.Problems)}");
        Login = new DemoLogin(WearerEmail, password);
        _wearerId = wearer.Id;

        var watch = System.Diagnostics.Stopwatch.StartNew();
        SeededFrames = await PastDays.SeedAsync(Server.Store, Options.DeviceId, LocalDay.Today(Clock), Options.HistoryDays,
            Clock.LocalTimeZone, cancellationToken);
        SeedTime = watch.Elapsed;
    }

    /// <summary>
    /// The operator's and the wearer's steps, done for them: the device is provisioned (a broker
    /// password and a pairing code, as <c>posturesense device add</c> does), and once the agent shows
    /// its code the demo wearer claims the device with it.
    /// </summary>
    async Task StartWearerAsync(DeviceSecrets secrets, CancellationToken cancellationToken)
    {
        var sensor = SimulatedMpu6050.ForScenario(Scenario, Clock);
        WearerStart = sensor.Origin;
        var agentOptions = new AgentOptions
        {
            DeviceId = Options.DeviceId,
            Broker = new MqttBrokerAddress("127.0.0.1", Server.MqttPort, Options.DeviceId.Value, secrets.Password),
            PairingCode = secrets.PairingCode,
            // A batch every 5 s of demo time is speed/5 batches a real second: past 100x that outran
            // the 20 a second a real device may send, the backlog grew, and every prompt came too late.
            ReplayBatchesPerSecond = Math.Clamp(Options.Speed, AgentOptions.DefaultReplayBatchesPerSecond, AgentOptions.MaxReplayBatchesPerSecond),
        };
        // The wearer lives on the demo's clock; the device may read a wrong one until network time sets it.
        var deviceClock = Options.DeviceClockOffset == TimeSpan.Zero ? null : new WrongClock(Clock, Options.DeviceClockOffset, Options.DeviceClockSyncAfter);
        Agent = new PostureAgent(agentOptions, sensor, Motor, (TimeProvider?)deviceClock ?? Clock, _loggers,
            clockSync: deviceClock is null ? null : new ClockSyncFrom(() => deviceClock.IsSynchronized));
        Agent.Nudged += (at, pitch) => Raise(at, DemoEventKind.Nudge, $"{Options.DeviceId} buzzes on its own: pitch {pitch:0}° for 30 s");
        Agent.AckSent += ack => Raise(Clock.GetUtcNow(), DemoEventKind.Ack, $"{Options.DeviceId} acks {ack.Id}: {ack.Status}");
        await Agent.StartAsync(cancellationToken);
        // Claimed once it runs, as a wearer does; coaching does not wait for an owner, and the first
        // prompt is minutes of demo time away.
        var claim = await Server.Accounts.ClaimAsync(_wearerId, Options.DeviceId.Value, Agent.PairingCode, cancellationToken);
        if (!claim.Succeeded) throw new InvalidOperationException($"cannot give the demo wearer {Options.DeviceId}: {claim.Error}");
        PairingCode = Agent.PairingCode;
    }

    void WireEvents()
    {
        Server.PromptSent += (deviceId, command) =>
        {
            var exercise = ExerciseCatalog.TryGet(command.Exercise, out var e) ? e!.Name : command.Exercise;
            Raise(Clock.GetUtcNow(), DemoEventKind.Prompt,
                $"server prompts {deviceId} ({command.Id}): prolonged {command.Reason}, try {exercise}");
        };
        Motor.Vibrated += v => Raise(v.At, DemoEventKind.Vibration, $"{Options.DeviceId} motor plays '{v.Pattern.ToString().ToLowerInvariant()}'");
    }

    void Raise(DateTimeOffset at, DemoEventKind kind, string text) => Happened?.Invoke(new DemoEvent(at, kind, text));

    /// <summary>Waits (on the demo's clock) until the simulated day is over.</summary>
    public async Task WaitForEndOfDayAsync(CancellationToken cancellationToken)
    {
        var left = EndsAt - Clock.GetUtcNow();
        if (left > TimeSpan.Zero) await Task.Delay(left, Clock, cancellationToken);
    }

    /// <summary>The wearer takes the device off; the server and dashboard stay up.</summary>
    public async Task StopWearerAsync()
    {
        if (Agent is null) return;
        SensorOverflows = Agent.SensorOverflows;
        await Agent.StopAsync();
        await Agent.DisposeAsync();
        Agent = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopWearerAsync();
        await Server.DisposeAsync();
    }

    static DateTimeOffset StartOfDemoDay(TimeOnly startsAt)
    {
        var zone = TimeZoneInfo.Local;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var local = today.ToDateTime(startsAt);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
