using System.Numerics;
using PostureSense.Core.Imu;

namespace PostureSense.FirmwareSim.Wearer;

/// <summary>
/// The board off the back, resting on a table on one of its faces, as for the accelerometer's
/// six-face calibration. <see cref="Face"/> can be changed while it runs (the person turning it
/// over); <see cref="Shaking"/> is a hand still on it.
/// </summary>
public sealed class RestingBoard : IWearerModel
{
    volatile int _face;
    volatile bool _shaking;

    public AccelFace Face { get => (AccelFace)_face; set => _face = (int)value; }
    public bool Shaking { get => _shaking; set => _shaking = value; }

    public WearerState At(TimeSpan sinceStart)
    {
        // The trunk angles that point the face's axis up: see TrunkTilt.UpInSensor.
        var (pitch, roll) = Face switch
        {
            AccelFace.XUp => (0.0, 0.0),
            AccelFace.XDown => (180.0, 0.0),
            AccelFace.YUp => (0.0, 90.0),
            AccelFace.YDown => (0.0, -90.0),
            AccelFace.ZUp => (90.0, 0.0),
            _ => (-90.0, 0.0),
        };
        var shake = Shaking ? (float)(0.15 * Math.Sin(2 * Math.PI * 3 * sinceStart.TotalSeconds)) : 0f;
        return new WearerState(pitch, roll, new Vector3(shake, shake, 0), Walking: false, Label: "resting");
    }
}
