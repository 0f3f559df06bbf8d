using System.Globalization;
using Microsoft.Extensions.Logging;
using PostureSense.Server.Metrics;

namespace PostureSense.Server.Ingestion;

/// <summary>
/// Notices when the broker dropped the server's session. Devices drop a batch once the broker has
/// it, so while the server is away the broker's queue for its session holds the only copy; if the
/// outage outlasts the session expiry (or the broker lost its persistence), that is gone. The broker
/// then answers CONNACK with session-present false although the server held a session before: that
/// is logged as a warning with the outage's length and counted (<c>posturesense.mqtt.sessions_lost</c>).
/// When the server last held its session is kept in a small file, so a restart of the server after
/// a long outage is noticed as well.
/// </summary>
public sealed class SessionContinuity
{
    /// <summary>
    /// Messages refresh the note at most this often, so a crash while devices send leaves it at most
    /// this stale; a crash while idle dates the outage from the last message or connect.
    /// </summary>
    static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);

    readonly string? _statePath;
    readonly string _identity;
    readonly TimeSpan _expiry;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly PostureMetrics _metrics;
    readonly Lock _gate = new();
    DateTimeOffset? _lastHeld;
    bool _loaded;
    bool _connected;

    /// <param name="statePath">Where the note is kept; null: only within this process.</param>
    /// <param name="identity">The broker and client id the session belongs to: a note for another one says nothing.</param>
    /// <param name="clock">Wall time: an outage is measured as the operator lives it.</param>
    public SessionContinuity(string? statePath, string identity, TimeSpan expiry, TimeProvider clock, ILogger log, PostureMetrics metrics)
    {
        _statePath = statePath;
        _identity = identity;
        _expiry = expiry;
        _clock = clock;
        _log = log;
        _metrics = metrics;
    }

    /// <summary>How many times the broker had dropped the session on reconnect.</summary>
    public int Lost { get; private set; }

    /// <summary>A connection was made; <paramref name="sessionPresent"/> is the CONNACK's flag.</summary>
    public void Connected(bool sessionPresent, string endpoint)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            var before = LastHeld();
            if (!sessionPresent && before is { } held)
            {
                Lost++;
                _metrics.SessionLost();
                _log.SessionLost(endpoint, Text(now - held), held, Text(_expiry));
            }
            _connected = true;
            Note(now);
        }
    }

    /// <summary>The session is still held (a message arrived); refreshes the note now and then.</summary>
    public void Held()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (_connected && (_lastHeld is not { } last || now - last >= Refresh)) Note(now);
        }
    }

    /// <summary>The server disconnects on purpose (stopping); the session starts to age from now.</summary>
    public void Disconnecting()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (!_connected) return;
            _connected = false;
            Note(now);
        }
    }

    DateTimeOffset? LastHeld()
    {
        if (_loaded) return _lastHeld;
        _loaded = true;
        if (_statePath is null || !File.Exists(_statePath)) return _lastHeld;
        try
        {
            var lines = File.ReadAllLines(_statePath);
            if (lines.Length >= 2 && lines[0] == _identity
                && DateTimeOffset.TryParse(lines[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var held))
                _lastHeld = held;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.SessionNoteUnreadable(ex, _statePath);
        }
        return _lastHeld;
    }

    void Note(DateTimeOffset now)
    {
        _loaded = true;
        _lastHeld = now;
        if (_statePath is null) return;
        try
        {
            var temp = _statePath + ".tmp";
            File.WriteAllLines(temp, [_identity, now.ToString("O", CultureInfo.InvariantCulture)]);
            File.Move(temp, _statePath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.SessionNoteUnwritable(ex, _statePath);
        }
    }

    static string Text(TimeSpan span) => span.TotalDays >= 1 ? $"{span.TotalDays:0.#} d"
        : span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h"
        : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min"
        : $"{Math.Max(0, span.TotalSeconds):0} s";
}
