using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureSense.Core.Contract;
using PostureSense.Server.History;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Storage;

namespace PostureSense.Server.Api;

/// <summary>The JSON API: devices, a device's day, ingestion counters.</summary>
public static class ApiEndpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // Served as application/json, never inlined into HTML: readable quotes and accents are safe here.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IEndpointRouteBuilder MapPostureApi(this IEndpointRouteBuilder app, IPostureStore store, DayReports days,
        IngestionStats stats, TimeProvider clock)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/devices", async (CancellationToken ct) =>
        {
            var now = clock.GetUtcNow();
            var devices = await store.ListDevicesAsync(ct);
            return Results.Json(devices.Select(d => DeviceView.From(d, now)).ToList(), Json);
        });

        api.MapGet("/devices/{id}/days/{day}", (string id, string day, CancellationToken ct) =>
            LocalDay.TryParse(day, out var date)
                ? DayAsync(id, date, ct)
                : Task.FromResult(Error(StatusCodes.Status400BadRequest, $"'{day}' is not a date; use yyyy-MM-dd")));

        api.MapGet("/devices/{id}/today", (string id, CancellationToken ct) => DayAsync(id, days.Today, ct));

        api.MapGet("/stats", () => Results.Json(stats.Snapshot(), Json));

        return app;

        async Task<IResult> DayAsync(string id, DateOnly date, CancellationToken ct)
        {
            if (!DeviceId.IsValid(id))
                return Error(StatusCodes.Status400BadRequest, $"'{id}' is not a device id; use 1-63 lowercase letters, digits or '-'");
            if (await store.GetDeviceAsync(id, ct) is null)
                return Error(StatusCodes.Status404NotFound, $"no device '{id}' has sent anything");
            return Results.Json(DayView.From(await days.BuildAsync(id, date, ct)), Json);
        }
    }

    static IResult Error(int status, string message) => Results.Json(new ErrorView(message), Json, statusCode: status);
}
