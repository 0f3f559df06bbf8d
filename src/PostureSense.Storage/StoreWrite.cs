using PostureSense.Core.Contract;
using PostureSense.Core.History;
using PostureSense.Core.Posture;

namespace PostureSense.Storage;

/// <summary>
/// One message's worth of storing. Ingestion gathers many of them, from many devices, into one
/// <see cref="IPostureStore.WriteBatchAsync"/>: one transaction or one HTTP write instead of one
/// per message, which is what lets a server keep up with thousands of devices.
/// </summary>
public abstract record StoreWrite(DeviceId DeviceId);

public sealed record FramesWrite(DeviceId DeviceId, IReadOnlyList<PostureFrame> Frames) : StoreWrite(DeviceId);

public sealed record StatusWrite(DeviceId DeviceId, DeviceStatus Status, long ReceivedTs) : StoreWrite(DeviceId);

public sealed record AckWrite(AckRecord Ack) : StoreWrite(Ack.DeviceId);

/// <summary>A prompt written with others (history imported or seeded in bulk); live prompts use <see cref="IPostureStore.WritePromptAsync"/>.</summary>
public sealed record PromptWrite(PromptRecord Prompt) : StoreWrite(Prompt.DeviceId);
