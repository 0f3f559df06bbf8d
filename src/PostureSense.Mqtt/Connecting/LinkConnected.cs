namespace PostureSense.Mqtt.Connecting;

/// <summary>A connection was made.</summary>
/// <param name="SessionResumed">The broker kept a session from before (its queued messages follow).</param>
public sealed record LinkConnected(bool SessionResumed);
