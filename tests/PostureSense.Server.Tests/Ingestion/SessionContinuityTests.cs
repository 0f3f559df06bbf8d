using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Metrics;

namespace PostureSense.Server.Tests.Ingestion;

/// <summary>A broker that no longer has the server's session after an outage is noticed, across a restart of the server too.</summary>
public sealed class SessionContinuityTests : IDisposable
{
    const string Identity = "posturesense-server@broker:1883";
    readonly TempDirectory _dir = new();
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    readonly TestLoggerProvider _logs = new();
    readonly ILoggerFactory _loggers;
    readonly PostureMetrics _metrics = new();
    readonly MeterListener _listener = new();
    long _lostCounted;

    public SessionContinuityTests()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs));
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PostureMetrics.MeterName && instrument.Name == "posturesense.mqtt.sessions_lost")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _lostCounted, value));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Dispose();
        _loggers.Dispose();
        _dir.Dispose();
    }

    SessionContinuity New(string identity = Identity) =>
        new(_dir.File("app-mqtt-session"), identity, TimeSpan.FromDays(7), _clock, _loggers.CreateLogger("test"), _metrics);

    [Fact]
    public void A_first_connect_and_a_resumed_session_are_no_loss()
    {
        var continuity = New();
        continuity.Connected(sessionPresent: false, "mqtt://broker:1883");
        continuity.Disconnecting();
        _clock.Advance(TimeSpan.FromDays(3));
        New().Connected(sessionPresent: true, "mqtt://broker:1883");

        Assert.Equal(0, _lostCounted);
        Assert.DoesNotContain(_logs.Entries, e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public void A_server_restarted_after_the_session_expired_warns_with_the_outage_and_counts_it()
    {
        var before = New();
        before.Connected(sessionPresent: false, "mqtt://broker:1883");
        _clock.Advance(TimeSpan.FromHours(1));
        before.Disconnecting();
        _clock.Advance(TimeSpan.FromDays(8));

        var after = New();
        after.Connected(sessionPresent: false, "mqtt://broker:1883");

        Assert.Equal(1, after.Lost);
        Assert.Equal(1, _lostCounted);
        var warning = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("away about 8 d", warning.Message);
        Assert.Contains("session expiry 7 d", warning.Message);
    }

    [Fact]
    public void A_broker_that_lost_the_session_while_the_server_ran_is_noticed_too()
    {
        var continuity = New();
        continuity.Connected(sessionPresent: false, "mqtt://broker:1883");
        _clock.Advance(TimeSpan.FromMinutes(5));
        continuity.Held();
        _clock.Advance(TimeSpan.FromMinutes(20));
        continuity.Connected(sessionPresent: false, "mqtt://broker:1883");

        Assert.Equal(1, _lostCounted);
        Assert.Contains("away about 20 min", Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning).Message);
    }

    [Fact]
    public void A_note_for_another_broker_or_client_id_says_nothing()
    {
        New().Connected(sessionPresent: false, "mqtt://broker:1883");
        _clock.Advance(TimeSpan.FromDays(10));

        New("posturesense-server@other-broker:1883").Connected(sessionPresent: false, "mqtt://other-broker:1883");

        Assert.Equal(0, _lostCounted);
    }
}
