namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// Each cluster test runs three server nodes with Redis, mosquitto and InfluxDB: two at once on a
/// small CI machine would starve each other's nodes of the CPU their membership probes need.
/// </summary>
[CollectionDefinition(nameof(ClusterCollection), DisableParallelization = true)]
public sealed class ClusterCollection;
