using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PostureSense.Server.Health;

/// <summary>
/// <c>/healthz</c> (the process answers), <c>/readyz</c> (broker connected, store writable,
/// workers running) and <c>/metrics</c> (Prometheus), served only on the management address: they
/// tell about the whole fleet, so wearers' clients never see them, and the management address
/// serves nothing else. Which address a request came in on is marked on its connection by Kestrel,
/// not read from a Host header a client could choose.
/// </summary>
public static class ManagementEndpoints
{
    public const string ReadyTag = "ready";
    const string ConnectionKey = "posturesense.management";

    /// <summary>Marks every connection accepted on the management listener.</summary>
    public static void MarkConnections(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            connection.Items[ConnectionKey] = true;
            return next(connection);
        });

    /// <summary>After routing: a management route on the public address, or anything else on the management one, is not found.</summary>
    public static IApplicationBuilder UseManagementSplit(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            var onManagement = http.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionKey) == true;
            var forManagement = http.GetEndpoint()?.Metadata.GetMetadata<ManagementOnly>() is not null;
            if (onManagement == forManagement) return next(http);
            http.SetEndpoint(null);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithMetadata(ManagementOnly.Instance);
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .WithMetadata(ManagementOnly.Instance);
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(ManagementOnly.Instance);
        return app;
    }

    /// <summary><c>{"status":"Unhealthy","checks":{"workers":{"status":"Unhealthy","description":"down: ..."}}}</c></summary>
    static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(http.Response.Body, body, cancellationToken: http.RequestAborted);
    }

    sealed class ManagementOnly
    {
        public static readonly ManagementOnly Instance = new();
    }
}
