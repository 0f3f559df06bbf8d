using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Server.Coaching;
using PostureSense.Storage;

namespace PostureSense.Eval.Running;

/// <summary>
/// What the server's coaching needs around it in a replay: a store that only keeps the prompts
/// written to it (the coach of a device new to the store reads nothing back), and a publisher that
/// hands commands over at once. Anything else asked of it is a change in the coach this eval must hear about.
/// </summary>
internal sealed class PromptRecorder : IPostureStore, ICommandPublisher
{
    readonly List<PromptRecord> _prompts = [];

    public IReadOnlyList<PromptRecord> Prompts => _prompts;

    public bool HeldBeforeOpen(DeviceId deviceId) => false;

    public Task WritePromptAsync(PromptRecord prompt, CancellationToken cancellationToken = default)
    {
        _prompts.Add(prompt);
        return Task.CompletedTask;
    }

    public Task PublishCommandAsync(DeviceId deviceId, DeviceCommand command, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task WriteBatchAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default) => Unexpected();
    public Task WriteFramesAsync(DeviceId deviceId, IReadOnlyList<PostureFrame> frames, CancellationToken cancellationToken = default) => Unexpected();
    public Task WriteAckAsync(AckRecord ack, CancellationToken cancellationToken = default) => Unexpected();
    public Task WriteStatusAsync(DeviceId deviceId, DeviceStatus status, long receivedTs, CancellationToken cancellationToken = default) => Unexpected();
    public Task<IReadOnlyList<PostureFrame>> ReadFramesAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) => Unexpected<IReadOnlyList<PostureFrame>>();
    public Task<IReadOnlyList<PromptRecord>> ReadPromptsAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) => Unexpected<IReadOnlyList<PromptRecord>>();
    public Task<IReadOnlyList<AckRecord>> ReadAcksAsync(DeviceId deviceId, long fromTs, long toTs, CancellationToken cancellationToken = default) => Unexpected<IReadOnlyList<AckRecord>>();
    public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(CancellationToken cancellationToken = default) => Unexpected<IReadOnlyList<DeviceRecord>>();
    public Task<DeviceRecord?> GetDeviceAsync(DeviceId deviceId, CancellationToken cancellationToken = default) => Unexpected<DeviceRecord?>();
    public Task<PromptRecord?> LastPromptAsync(DeviceId deviceId, PromptReason reason, CancellationToken cancellationToken = default) => Unexpected<PromptRecord?>();

    static Task<bool> Unexpected() => Unexpected<bool>();

    static Task<T> Unexpected<T>() =>
        throw new NotSupportedException("the eval's store keeps prompts only; the server's coaching now asks it for more");
}
