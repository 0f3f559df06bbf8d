using Microsoft.Extensions.Diagnostics.HealthChecks;
using PostureSense.Server.Workers;
using PostureSense.Server.Ingestion;

namespace PostureSense.Server.Health;

/// <summary>The server's MQTT client is connected (and so subscribed) to its broker.</summary>
public sealed class BrokerCheck(BrokerConnection link) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(link.IsConnected
            ? HealthCheckResult.Healthy($"connected to {link.Endpoint}")
            : HealthCheckResult.Unhealthy($"not connected to the MQTT broker {link.Endpoint}"));
}

/// <summary>The store took the latest write; a server that cannot store acknowledges nothing.</summary>
public sealed class StoreCheck(StoreHealth store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Problem is { } problem
            ? HealthCheckResult.Unhealthy($"the latest store write failed: {problem}")
            : HealthCheckResult.Healthy("writable"));
}

/// <summary>Every background worker is running; one that failed is down until its restart.</summary>
public sealed class WorkersCheck(WorkerHealth workers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = workers.Problems;
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy($"running: {string.Join(", ", workers.Workers)}")
            : HealthCheckResult.Unhealthy("down: " + string.Join("; ", problems.Select(p => $"{p.Key} ({p.Value})"))));
    }
}
