using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using PostureSense.Server.History;
using PostureSense.Server.Storage;

namespace PostureSense.Server.Dashboard;

/// <summary>The server-rendered dashboard: <c>GET /</c> and <c>GET /devices/{id}?day=yyyy-MM-dd</c>.</summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app, IPostureStore store, DayReports days, TimeProvider clock)
    {
        app.MapGet("/", (CancellationToken ct) => DeviceListPage.RenderAsync(store, clock, ct));
        app.MapGet("/devices/{id}", (string id, string? day, CancellationToken ct) => DevicePage.RenderAsync(id, day, store, days, ct));
        return app;
    }
}
