using System.Numerics;

namespace PostureSense.Agent.Sensors.Mpu6050;

/// <summary>One reading of the MPU-6050 in SI-like units.</summary>
/// <param name="AccelG">Specific force in g, sensor axes (still and upright reads about (1, 0, 0)).</param>
/// <param name="GyroDps">Angular rate of the sensor in °/s, sensor axes.</param>
/// <param name="TemperatureC">Die temperature; NaN for FIFO samples, which carry none.</param>
public readonly record struct ImuSample(Vector3 AccelG, Vector3 GyroDps, double TemperatureC);
