using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.Server.Cluster;

// Core's contract types cross grain calls as these surrogates: Core stays free of the cluster's
// serializer, and the wire contract (JSON) and the cluster's format can change apart.

[GenerateSerializer, Immutable]
internal struct PostureFrameSurrogate
{
    [Id(0)] public long Ts;
    [Id(1)] public double Pitch;
    [Id(2)] public double Roll;
    [Id(3)] public double Motion;
    [Id(4)] public int Steps;
    [Id(5)] public double? Flexion;
}

[RegisterConverter]
internal sealed class PostureFrameConverter : IConverter<PostureFrame, PostureFrameSurrogate>
{
    public PostureFrame ConvertFromSurrogate(in PostureFrameSurrogate surrogate) =>
        new(surrogate.Ts, surrogate.Pitch, surrogate.Roll, surrogate.Motion, surrogate.Steps) { Flexion = surrogate.Flexion };

    public PostureFrameSurrogate ConvertToSurrogate(in PostureFrame value) =>
        new() { Ts = value.Ts, Pitch = value.Pitch, Roll = value.Roll, Motion = value.Motion, Steps = value.Steps, Flexion = value.Flexion };
}

[GenerateSerializer]
internal struct TelemetryBatchSurrogate
{
    [Id(0)] public int V;
    [Id(1)] public long Seq;
    [Id(2)] public PostureFrame[] Frames;
}

[RegisterConverter]
internal sealed class TelemetryBatchConverter : IConverter<TelemetryBatch, TelemetryBatchSurrogate>
{
    public TelemetryBatch ConvertFromSurrogate(in TelemetryBatchSurrogate surrogate) =>
        new(surrogate.V, surrogate.Seq, surrogate.Frames ?? []);

    public TelemetryBatchSurrogate ConvertToSurrogate(in TelemetryBatch value) =>
        new() { V = value.V, Seq = value.Seq, Frames = [.. value.Frames] };
}
